import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportWeeks } from '../../../src/cli/export.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { Store } from '../../../src/store/index.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED } from '../../support/stored-weeks.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

/** The JSON export carries each week's review of the goals set the week before (issue #13). */
describe('weekly-report export --format json: goal reviews', () => {
  let store: Store;
  let team: Team;

  beforeAll(async () => {
    store = await openTestStore('export_goals');
    team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    // Both published: the export leaves out weeks that are not (drafts).
    await storeWeek(
      store,
      team,
      '2024-W22',
      W22_CREATED,
      [{ sectionId: 'next-week', text: '1. 支付安全方案设计\n2. 子户模型改进\n3. 聚合支付商业计划' }],
      new Date('2024-05-31T17:00:00+08:00'),
    );
    await storeReferenceWeek(store, team, new Date('2024-06-07T17:00:00+08:00'));
    await store.recordGoalReview({
      teamId: team.definition.id,
      week: '2024-W23',
      sectionId: 'next-week',
      goalsWeek: '2024-W22',
      owner: 'lead',
      platform: 'console',
      eventId: 'export-goals:1',
      marks: [
        { goal: 1, status: 'done', note: '' },
        { goal: 3, status: 'dropped', note: '优先级调整' },
      ],
      rawText: '目标 1 完成\n目标 3 放弃：优先级调整',
      receivedAt: new Date('2024-06-05T10:00:00+08:00'),
    });
  });

  afterAll(async () => {
    await discardTestStore(store);
  });

  it('lists last week’s goals with their states in the week that reviewed them, and nothing in a week without a review', async () => {
    const json = JSON.parse(await exportWeeks(store, team, { from: '2024-W22', to: '2024-W23', format: 'json' })) as {
      weeks: { week: string; goalReviews?: unknown }[];
    };
    expect(json.weeks[0]).not.toHaveProperty('goalReviews');
    expect(json.weeks[1]!.goalReviews).toEqual([
      {
        section: 'next-week',
        goalsWeek: '2024-W22',
        goals: [
          { number: 1, text: '支付安全方案设计', status: 'done' },
          { number: 2, text: '子户模型改进' },
          { number: 3, text: '聚合支付商业计划', status: 'dropped', note: '优先级调整' },
        ],
      },
    ]);
  });

  it('leaves them out of a section export of another section', async () => {
    const json = JSON.parse(await exportWeeks(store, team, { from: '2024-W22', to: '2024-W23', format: 'json', sectionId: 'o1' })) as { weeks: object[] };
    expect(json.weeks.every((w) => !('goalReviews' in w))).toBe(true);
  });
});

import { describe, expect, it } from 'vitest';
import type { Team } from '../../src/report/definition.ts';
import { describeSeeded, SeedRefused, seedTeams, type SeedOptions } from '../../src/seed/seed-teams.ts';
import { MemoryStore, type Store } from '../../src/store/index.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { storeWeek, W22_REPLIES } from '../support/stored-weeks.ts';

/**
 * `npm run seed` on a database that is not empty (issue #20, case 1): the seed fills a database with
 * sample weeks, and the team's own weeks are never its to change.
 */

/** Wednesday of 2024-W23 in Shanghai. */
const W23 = '2024-06-05T10:00:00+08:00';

/** Everything stored for one week: its cycle, every revision of every answer, its prompts and goal reviews. */
async function weekState(store: Store, team: Team, week: string) {
  const { id } = team.definition;
  const revisions = [];
  for (const section of team.definition.sections) {
    for (const owner of section.owners) revisions.push(...(await store.submissionHistory({ teamId: id, week, sectionId: section.id, owner })));
  }
  return { cycle: await store.getCycle(id, week), revisions, prompts: await store.listPrompts(id, week), goalReviews: await store.listGoalReviews(id, week) };
}

async function seeding(at = W23) {
  const store = new MemoryStore();
  const bot = await consoleBot(store, new FakeClock(new Date(at)));
  const seed = (options: Partial<SeedOptions> = {}) =>
    seedTeams(bot.ctx, [bot.team], { weeks: 3, force: false, platform: 'console', allTeams: [bot.team], ...options });
  return { store, team: bot.team, clock: bot.ctx.clock as FakeClock, seed };
}

/** The team's own week, published with two posts, as the bot leaves one. */
async function publishedByTheTeam(store: Store, team: Team, week: string, at: string): Promise<void> {
  await storeWeek(store, team, week, new Date(at), W22_REPLIES);
  await store.markPublished(team.definition.id, week, [{ platform: 'slack', channel: 'C1', messageId: '1717.1', role: 'header', index: 0 }], new Date(at));
}

describe('npm run seed on a database', () => {
  it('fills an empty one, and runs again on what it wrote without a word, storing nothing new', async () => {
    const { store, team, seed } = await seeding();
    const [first] = await seed();
    expect(first).toEqual({
      teamId: 'payments-weekly',
      history: ['2024-W20', '2024-W21', '2024-W22'],
      current: { week: '2024-W23', replies: 11 },
      unchanged: [],
    });
    expect((await store.listCycles('payments-weekly', 10)).map((c) => [c.week, c.status, c.seeded])).toEqual([
      ['2024-W23', 'open', true],
      ['2024-W22', 'published', true],
      ['2024-W21', 'published', true],
      ['2024-W20', 'published', true],
    ]);
    const before = await Promise.all(['2024-W20', '2024-W21', '2024-W22', '2024-W23'].map((w) => weekState(store, team, w)));

    const [again] = await seed();
    expect(again).toEqual({
      teamId: 'payments-weekly',
      history: [],
      current: { week: '2024-W23', replies: 11 },
      unchanged: ['2024-W20', '2024-W21', '2024-W22'].map((week) => ({ week, reason: 'published' })),
    });
    expect(await Promise.all(['2024-W20', '2024-W21', '2024-W22', '2024-W23'].map((w) => weekState(store, team, w)))).toEqual(before);
  });

  it('refuses a database holding a week it did not write, naming the week and what to do, and writes nothing', async () => {
    const { store, team, seed } = await seeding();
    await publishedByTheTeam(store, team, '2024-W23', '2024-06-07T17:00:00+08:00');
    await storeWeek(store, team, '2024-W22', new Date('2024-05-28T15:30:00+08:00'), W22_REPLIES.slice(0, 1));
    const before = {
      cycles: await store.listCycles('payments-weekly', 100),
      w23: await weekState(store, team, '2024-W23'),
      w22: await weekState(store, team, '2024-W22'),
    };

    const refused = await seed().catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(SeedRefused);
    expect((refused as SeedRefused).code).toBe('seed_refused');
    expect((refused as Error).message).toBe(
      'The database at process memory holds weeks the seed did not write: payments-weekly 2024-W23 (published), 2024-W22 (open). ' +
        'The seed fills a database with sample weeks, and these look like a team’s own. Nothing was written. ' +
        'Point MONGODB_URI at a database of its own for the sample (e.g. mongodb://127.0.0.1:27017/weekly-report-demo), ' +
        'or run `npm run seed -- --force` to add the sample weeks next to these: it never changes a published week, nor a week it did not write.',
    );
    expect({
      cycles: await store.listCycles('payments-weekly', 100),
      w23: await weekState(store, team, '2024-W23'),
      w22: await weekState(store, team, '2024-W22'),
    }).toEqual(before);
  });

  it('refuses too for a week of another team of the definitions, though it seeds only one', async () => {
    const { store, team, seed } = await seeding();
    const other: Team = { ...team, definition: { ...team.definition, id: 'risk-weekly' } };
    await store.openCycle('risk-weekly', '2024-W23', new Date(W23));
    await expect(seed({ allTeams: [team, other] })).rejects.toThrow(/holds weeks the seed did not write: risk-weekly 2024-W23 \(open\)\./);
    expect(await store.listCycles('payments-weekly', 100)).toEqual([]);
  });

  it('with --force, adds its weeks next to the team’s and changes none of those, published or open', async () => {
    const { store, team, seed } = await seeding();
    await publishedByTheTeam(store, team, '2024-W23', '2024-06-07T17:00:00+08:00');
    await storeWeek(store, team, '2024-W21', new Date('2024-05-21T15:30:00+08:00'), W22_REPLIES.slice(0, 1));
    const before = { w23: await weekState(store, team, '2024-W23'), w21: await weekState(store, team, '2024-W21') };

    const [seeded] = await seed({ force: true });
    expect(seeded).toEqual({
      teamId: 'payments-weekly',
      history: ['2024-W20', '2024-W22'],
      current: null,
      unchanged: [
        { week: '2024-W21', reason: 'not-seeded' },
        { week: '2024-W23', reason: 'published' },
      ],
    });
    expect({ w23: await weekState(store, team, '2024-W23'), w21: await weekState(store, team, '2024-W21') }).toEqual(before);
    expect((await weekState(store, team, '2024-W22')).cycle).toMatchObject({ status: 'published', seeded: true });
  });

  it('never changes a published week, even one it wrote: this week seeded, then published by a lead, then seeded again next week', async () => {
    const { store, team, clock, seed } = await seeding();
    await seed({ weeks: 0 });
    await store.markPublished(
      'payments-weekly',
      '2024-W23',
      [{ platform: 'console', channel: '#payments-weekly', messageId: 'm20', role: 'header', index: 0 }],
      new Date('2024-06-07T17:00:00+08:00'),
    );
    const published = await weekState(store, team, '2024-W23');

    clock.set('2024-06-12T10:00:00+08:00');
    const [seeded] = await seed({ weeks: 2 });
    expect(seeded).toEqual({
      teamId: 'payments-weekly',
      history: ['2024-W22'],
      current: { week: '2024-W24', replies: 11 },
      unchanged: [{ week: '2024-W23', reason: 'published' }],
    });
    expect(await weekState(store, team, '2024-W23')).toEqual(published);

    const [forced] = await seed({ weeks: 2, force: true });
    expect(forced!.unchanged).toEqual([
      { week: '2024-W22', reason: 'published' },
      { week: '2024-W23', reason: 'published' },
    ]);
    expect(await weekState(store, team, '2024-W23')).toEqual(published);
  });

  it('says what it did in one line', () => {
    expect(
      describeSeeded({ teamId: 'payments-weekly', history: ['2024-W11', '2024-W12', '2024-W13'], current: { week: '2024-W14', replies: 11 }, unchanged: [] }),
    ).toBe('Seeded payments-weekly: 2024-W11 – 2024-W13 published (3 earlier weeks); 2024-W14 answered with the reference replies (11).');
    expect(
      describeSeeded({
        teamId: 'payments-weekly',
        history: ['2024-W20'],
        current: null,
        unchanged: [
          { week: '2024-W19', reason: 'published' },
          { week: '2024-W21', reason: 'not-seeded' },
          { week: '2024-W22', reason: 'published' },
          { week: '2024-W23', reason: 'published' },
        ],
      }),
    ).toBe(
      'Seeded payments-weekly: 2024-W20 published (1 earlier week); left as they were: 2024-W19 (published), 2024-W21 (not written by the seed), 2024-W22 – 2024-W23 (published).',
    );
    expect(describeSeeded({ teamId: 'payments-weekly', history: [], current: null, unchanged: [{ week: '2024-W23', reason: 'published' }] })).toBe(
      'Seeded payments-weekly: nothing; left as they were: 2024-W23 (published).',
    );
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportCommand, ExportUsageError, exportWeeks } from '../../../src/cli/export.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { Store } from '../../../src/store/index.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';
import { documentLines, EXPECTED_MD } from '../../support/golden.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../../support/stored-weeks.ts';
import { expectExportGolden as expectGolden } from '../../cli/export-golden.ts';

describe('weekly-report export', () => {
  let store: Store;
  let team: Team;

  beforeAll(async () => {
    store = await openTestStore('export');
    team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    // Outside the exported range: must not appear.
    await storeWeek(store, team, '2024-W21', new Date('2024-05-21T15:30:00+08:00'), [{ sectionId: 'o1', text: '1. W21 的内容' }]);
    await storeWeek(store, team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
    await storeReferenceWeek(store, team, new Date('2024-06-07T17:00:00+08:00'));
    // Inside the range, but still open (not published): a draft, left out unless asked for.
    await storeWeek(store, team, '2024-W24', new Date('2024-06-11T15:30:00+08:00'), [
      { sectionId: 'o1', text: '1. W24 草稿的内容' },
      { sectionId: 'metrics', text: W22_REPLIES.find((r) => r.sectionId === 'metrics')!.text },
      { sectionId: 'incidents', text: '06/11 10:05 W24 草稿里的事件' },
    ]);
  });

  afterAll(async () => {
    await discardTestStore(store);
  });

  const range = { from: '2024-W22', to: '2024-W26' };

  it('exports each week in range as the document it was published as (W23 is the reference, byte for byte)', async () => {
    const markdown = await exportWeeks(store, team, { ...range, format: 'markdown' });
    expect(markdown).not.toContain('W21 的内容');
    const documents = markdown.split('\n---\n\n');
    expect(documents).toHaveLength(2);
    expect(documentLines(documents[1]!)).toEqual(documentLines(EXPECTED_MD));
    expectGolden('weeks.md', markdown);
  });

  it('exports one section across weeks with --section', async () => {
    const markdown = await exportWeeks(store, team, { ...range, format: 'markdown', sectionId: 'incidents' });
    expect(markdown).toMatch(/^# 2024-W22\n\n## 【生产事件】\n/);
    expectGolden('incidents-section.md', markdown);
  });

  it('exports structured answers and the metrics read from them as JSON', async () => {
    const json = await exportWeeks(store, team, { ...range, format: 'json' });
    const parsed = JSON.parse(json) as { weeks: { week: string; metrics: { id: string; value: number }[] }[] };
    expect(parsed.weeks.map((w) => w.week)).toEqual(['2024-W22', '2024-W23']);
    expect(parsed.weeks[1]!.metrics.find((m) => m.id === 'deposit-success-rate')?.value).toBe(99.987);
    expect(parsed.weeks[0]!.metrics.find((m) => m.id === 'incidents-cd')?.value).toBe(2);
    expectGolden('weeks.json', json);
  });

  it('exports metrics and incidents as CSV, one row each', async () => {
    const csv = await exportWeeks(store, team, { ...range, format: 'csv' });
    const lines = csv.trimEnd().split('\n');
    expect(lines[0]).toBe('week,type,section,metric,label,value,unit,time,text,status');
    // 9 metrics a week, 2 incidents in W22, 11 in W23.
    const typed = (type: string) => lines.slice(1).filter((l) => l.split(',')[1] === type);
    expect(typed('metric')).toHaveLength(18);
    expect(typed('incident')).toHaveLength(13);
    expectGolden('weeks.csv', csv);
  });

  it('refuses a section the report does not have, naming the ones it has', async () => {
    await expect(exportWeeks(store, team, { ...range, format: 'csv', sectionId: 'nope' })).rejects.toThrow(/no section "nope".*metrics/);
  });

  it('leaves out a week not yet published, in every format', async () => {
    for (const format of ['markdown', 'json', 'csv'] as const) {
      const text = await exportWeeks(store, team, { ...range, format });
      expect(text).not.toContain('W24');
    }
    expect(await exportWeeks(store, team, { ...range, format: 'markdown', sectionId: 'o1' })).not.toContain('W24');
  });

  it('with --drafts, marks it as a draft in every format', async () => {
    const drafts = { ...range, drafts: true };
    const documents = (await exportWeeks(store, team, { ...drafts, format: 'markdown' })).split('\n---\n\n');
    expect(documents).toHaveLength(3);
    expect(documents[2]).toMatch(/^> ⚠️ 草稿：2024-W24 周报尚未发布，内容可能还会变化。\n\n# 2024-W24\n\nCreated: 2024年6月11日 15:30\n/);
    expect(documents[1]).toMatch(/^# 2024-W23\n/);
    expect(await exportWeeks(store, team, { ...drafts, format: 'markdown', sectionId: 'o1' })).toMatch(
      /\n# 2024-W24\n\n> ⚠️ 草稿：2024-W24 周报尚未发布，内容可能还会变化。\n\n## 【O1 业务服务】\n\n1\. W24 草稿的内容\n$/,
    );

    const json = JSON.parse(await exportWeeks(store, team, { ...drafts, format: 'json' })) as {
      weeks: { week: string; draft?: boolean; publishedAt?: string }[];
    };
    expect(json.weeks.map((w) => [w.week, w.draft ?? false, Boolean(w.publishedAt)])).toEqual([
      ['2024-W22', false, true],
      ['2024-W23', false, true],
      ['2024-W24', true, false],
    ]);

    const rows = (await exportWeeks(store, team, { ...drafts, format: 'csv' })).trimEnd().split('\n');
    expect(rows[0]).toBe('week,type,section,metric,label,value,unit,time,text,status');
    const statusOf = (week: string) => new Set(rows.filter((r) => r.startsWith(week)).map((r) => r.split(',').at(-1)));
    expect(statusOf('2024-W22')).toEqual(new Set(['published']));
    expect(statusOf('2024-W24')).toEqual(new Set(['draft']));
    expect(rows.filter((r) => r.startsWith('2024-W24,incident'))).toEqual(['2024-W24,incident,incidents,,,,,06/11 10:05,W24 草稿里的事件,draft']);
  });

  it('says so when the range holds no stored week, naming the weeks there are', async () => {
    await expect(exportWeeks(store, team, { from: '2024-W30', to: '2024-W35', format: 'csv' })).rejects.toThrow(
      new ExportUsageError('no stored week of payments-weekly from 2024-W30 to 2024-W35 (stored: 2024-W21 to 2024-W24)'),
    );
  });

  it('says so when the range holds only drafts, and how to export them', async () => {
    await expect(exportWeeks(store, team, { from: '2024-W24', to: '2024-W26', format: 'json' })).rejects.toThrow(
      new ExportUsageError(
        'no published week of payments-weekly from 2024-W24 to 2024-W26: 2024-W24 is not published yet; add --drafts to export it as a draft',
      ),
    );
  });

  it('refuses to run without MONGODB_URI, and a --to that is not a week', async () => {
    const args = ['--template', 'payments-weekly', '--from', '2024-W14', '--to', '2024-W26'];
    await expect(exportCommand(args, {})).rejects.toThrow(ExportUsageError);
    await expect(exportCommand(args, {})).rejects.toThrow(/MONGODB_URI/);
    await expect(exportCommand(['--template', 'payments-weekly', '--from', '2024-W14', '--to', 'june'], {})).rejects.toThrow(/--to expects an ISO week/);
  });
});

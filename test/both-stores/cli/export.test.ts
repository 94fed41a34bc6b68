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
    expect(lines[0]).toBe('week,type,section,metric,label,value,unit,time,text');
    // 9 metrics a week, 2 incidents in W22, 11 in W23.
    const typed = (type: string) => lines.slice(1).filter((l) => l.split(',')[1] === type);
    expect(typed('metric')).toHaveLength(18);
    expect(typed('incident')).toHaveLength(13);
    expectGolden('weeks.csv', csv);
  });

  it('refuses a section the report does not have, naming the ones it has', async () => {
    await expect(exportWeeks(store, team, { ...range, format: 'csv', sectionId: 'nope' })).rejects.toThrow(/no section "nope".*metrics/);
  });

  it('refuses to run without MONGODB_URI, and a --to that is not a week', async () => {
    const args = ['--template', 'payments-weekly', '--from', '2024-W14', '--to', '2024-W26'];
    await expect(exportCommand(args, {})).rejects.toThrow(ExportUsageError);
    await expect(exportCommand(args, {})).rejects.toThrow(/MONGODB_URI/);
    await expect(exportCommand(['--template', 'payments-weekly', '--from', '2024-W14', '--to', 'june'], {})).rejects.toThrow(/--to expects an ISO week/);
  });
});

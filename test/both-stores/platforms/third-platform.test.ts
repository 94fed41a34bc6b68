import { describe, expect, it } from 'vitest';
import { publishWeek } from '../../../handlers/cycle/publish.ts';
import { configuredPlatforms, PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { memoModule } from '../../fakes/memo-platform.ts';
import { EXPECTED_MD } from '../../support/golden.ts';
import { storeReferenceWeek } from '../../support/stored-weeks.ts';
import { memoPlatform } from '../../platforms/suite/memo.ts';

/**
 * Memo, a made-up platform defined in test/fakes/memo-platform.ts, proves that a platform is one
 * module. Its whole week (prompts, replies as arrays of lines, reminders, the report in its room)
 * runs in the suites of test/both-stores/platforms/suite/ with the other platforms; here is what is
 * Memo's own.
 */
describe('a third platform added as one module', () => {
  const modules = [...PLATFORM_MODULES, memoModule];

  it('is configured from its own variables', () => {
    expect(configuredPlatforms(modules, { MEMO_TOKEN: 't' }).map((c) => c.module.name)).toEqual(['memo']);
  });

  it('posts the report to its room as it renders it: one message per section, then the file', async () => {
    const h = await memoPlatform.start('memo_report', { now: '2024-06-07T17:00:00+08:00' });
    try {
      await storeReferenceWeek(h.store, h.team);
      await publishWeek(h.ctx, h.team, '2024-W23', h.holder);
      const { parts, files } = h.digest();
      expect(parts).toHaveLength(EXPECTED_MD.split(/\n(?=## )/).length);
      expect(parts.slice(1).every((p) => p.text.startsWith('## '))).toBe(true);
      expect(files.map((f) => f.filename)).toEqual(['payments-weekly-2024-W23.md']);
    } finally {
      await h.close();
    }
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { compileWeek } from '../../../../handlers/cycle/publish.ts';
import type { Typed } from '../../../platforms/suite/platform-harness.ts';
import { PLATFORMS, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

const TEAM = 'payments-weekly';
const WEEK = '2024-W23';

/**
 * Owners press Enter between lines: an answer is every message in the prompt's thread; an edit or
 * a deletion (Feishu: a recall) changes its own part, and a form replaces it all.
 */
describe.each(PLATFORMS)('an answer sent as several messages on $name', (platform) => {
  const { capabilities } = platform;
  let h: PlatformHarness;
  beforeAll(async () => {
    h = await platform.start('answers');
    await runDueJobs(h.ctx, h.team, h.holder);
  });
  afterAll(async () => {
    await h?.close();
  });

  const section = async (sectionId: string) => {
    const cycle = (await h.store.getCycle(TEAM, WEEK))!;
    return (await compileWeek(h.ctx, h.team, cycle)).sections.find((s) => s.id === sectionId)!.markdown;
  };
  const history = (sectionId: string, owner: string) => h.store.submissionHistory({ teamId: TEAM, week: WEEK, sectionId, owner });
  /** O1's second message, which the next tests edit and delete. */
  let second: Typed;

  it('appends each message in the prompt’s thread, and the last confirmation previews the whole section', async () => {
    h.setNow('2024-06-05T10:00:00+08:00');
    const prompt = await h.prompt('owner-o1', 'o1');
    await h.reply('owner-o1', prompt.ref, '1. 第一件事');
    second = await h.reply('owner-o1', prompt.ref, '2. 第二件事');
    await h.reply('owner-o1', prompt.ref, '3. 第三件事');
    expect(await section('o1')).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第二件事\n3. 第三件事');

    const confirmations = h.thread(prompt.ref).filter((m) => m.text.startsWith('✅'));
    expect(confirmations).toHaveLength(3);
    expect(confirmations.at(-1)!.text).toContain('1. 第一件事\n2. 第二件事\n3. 第三件事');
    expect((await history('o1', 'owner-o1')).map((s) => s.revision)).toEqual([1, 2, 3]);
  });

  it.skipIf(!capabilities.edits)('replaces an edited message with its new text', async () => {
    await h.edit(second, '2. 第二件事（已改）');
    expect(await section('o1')).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第二件事（已改）\n3. 第三件事');
  });

  it.skipIf(!capabilities.deletes)('removes a deleted message, once however often the deletion is delivered', async () => {
    const deletion = await h.remove(second);
    await deletion.again();
    expect(await section('o1')).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第三件事');
    // Three messages, the edit where there was one, and the deletion: each a revision.
    expect(await history('o1', 'owner-o1')).toHaveLength(3 + (capabilities.edits ? 1 : 0) + 1);
  });

  it.skipIf(!capabilities.forms)('replaces the whole answer with a form submitted after two messages, the form prefilled with both', async () => {
    h.setNow('2024-06-05T11:00:00+08:00');
    const prompt = await h.prompt('owner-o3', 'o3');
    for (const text of ['1. 第一件事', '2. 第二件事']) await h.reply('owner-o3', prompt.ref, text);
    expect(await section('o3')).toBe('## 【O3 平台治理】\n\n1. 第一件事\n2. 第二件事');

    expect(await h.openForm('owner-o3', prompt)).toEqual(['1. 第一件事\n2. 第二件事']);
    await h.submitForm('owner-o3', prompt, '1. 表单里的唯一一件事');
    expect(await section('o3')).toBe('## 【O3 平台治理】\n\n1. 表单里的唯一一件事');
    expect((await history('o3', 'owner-o3')).map((r) => r.parts!.map((p) => p.rawText))).toEqual([
      ['1. 第一件事'],
      ['1. 第一件事', '2. 第二件事'],
      ['1. 表单里的唯一一件事'],
    ]);
  });
});

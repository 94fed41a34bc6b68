import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/jobs.ts';
import { compileWeek } from '../../../../handlers/publish.ts';
import type { FakeMessage } from '../../../fakes/slack-api.ts';
import { blockActionPayload, imMessageChangedEvent, imMessageDeletedEvent, imMessageEvent, viewSubmissionPayload } from '../../../fakes/slack-payloads.ts';
import { findPrompt, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

/** Owners press Enter between lines: on Slack an answer is every message in the prompt's thread; edits and deletions change their own part. */
describe('answers sent as several Slack messages', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('slack_answers');
    await runDueJobs(h.ctx, h.team, 'test-holder');
  });
  afterAll(async () => {
    await h?.close();
  });

  const owner = () => h.slackId('owner-o1');
  async function type(text: string, prompt: FakeMessage): Promise<FakeMessage> {
    const message = h.fake.userMessage({ channel: prompt.channel, user: owner(), text, threadTs: prompt.ts });
    expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
    return message;
  }
  const sectionMarkdown = async (sectionId: string) => {
    const cycle = (await h.store.getCycle('payments-weekly', '2024-W23'))!;
    return (await compileWeek(h.ctx, h.team, cycle)).sections.find((s) => s.id === sectionId)!.markdown;
  };
  const o1Section = () => sectionMarkdown('o1');

  it('appends each message, replaces an edited one, removes a deleted one', async () => {
    h.setNow('2024-06-05T10:00:00+08:00');
    const prompt = findPrompt(h, owner(), 'o1');
    await type('1. 第一件事', prompt);
    const second = await type('2. 第二件事', prompt);
    await type('3. 第三件事', prompt);
    expect(await o1Section()).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第二件事\n3. 第三件事');
    // The last confirmation in the thread previews the whole section.
    const confirmations = h.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === h.fake.botUserId && m.text.startsWith('✅'));
    expect(confirmations).toHaveLength(3);
    expect(JSON.stringify(confirmations.at(-1)!.blocks)).toContain('3. 第三件事');

    const edited = { ...second, text: '2. 第二件事（已改）' };
    expect((await h.sendEvent(imMessageChangedEvent(edited, { text: second.text }))).status).toBe(200);
    expect(await o1Section()).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第二件事（已改）\n3. 第三件事');

    expect((await h.sendEvent(imMessageDeletedEvent(edited))).status).toBe(200);
    expect(await o1Section()).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第三件事');
  });

  it('replaces the whole answer with a form submitted after two messages, the form prefilled with both', async () => {
    h.setNow('2024-06-05T11:00:00+08:00');
    const user = h.slackId('owner-o3');
    const prompt = findPrompt(h, user, 'o3');
    for (const text of ['1. 第一件事', '2. 第二件事']) {
      const message = h.fake.userMessage({ channel: prompt.channel, user, text, threadTs: prompt.ts });
      expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
    }
    expect(await sectionMarkdown('o3')).toBe('## 【O3 平台治理】\n\n1. 第一件事\n2. 第二件事');

    expect((await h.interact(blockActionPayload(h.fake, { user, message: prompt, actionId: 'open_answer_form' }))).status).toBe(200);
    const view = h.fake.views.at(-1)!;
    const inputs = (view.view.blocks as { type: string; block_id: string; element?: { initial_value?: string } }[]).filter((b) => b.type === 'input');
    expect(inputs.map((b) => b.element?.initial_value)).toEqual(['1. 第一件事\n2. 第二件事']);

    const submitted = await h.interact(viewSubmissionPayload(h.fake, { user, view, values: { [inputs[0]!.block_id]: '1. 表单里的唯一一件事' } }));
    expect(submitted.status).toBe(200);
    expect(await sectionMarkdown('o3')).toBe('## 【O3 平台治理】\n\n1. 表单里的唯一一件事');
    const history = await h.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o3', owner: 'owner-o3' });
    expect(history.map((r) => r.parts!.map((p) => p.rawText))).toEqual([['1. 第一件事'], ['1. 第一件事', '2. 第二件事'], ['1. 表单里的唯一一件事']]);
  });
});

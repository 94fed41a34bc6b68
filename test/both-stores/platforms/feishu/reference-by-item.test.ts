import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/jobs.ts';
import { feishuModule } from '../../../../src/platforms/feishu/module.ts';
import { seedReply } from '../../../support/bot.ts';
import { EXPECTED_MD } from '../../../support/golden.ts';
import { messageReceived } from '../../../fakes/feishu-webhook.ts';
import { APP, formValueOf, markdownOf, startFeishuHarness, textOf, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

/**
 * Owners press Enter after each item: the reference week, every list item sent as its own Feishu
 * message in the prompt card's thread, still compiles to seeds/2024-W23/expected.md.
 */
describe('the reference week on Feishu, one message per list item', () => {
  let bot: FeishuHarness;
  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_reference_by_item', { now: '2024-06-04T15:34:00+08:00' });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('publishes a report equal to expected.md', async () => {
    const { fake } = bot;
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    bot.setNow('2024-06-05T10:00:00+08:00');

    // Lists: one message per top-level item (its sub-items with it); text and entries sections as
    // one message. Nobody answers 收获与反思.
    const queues = bot.team.definition.sections
      .filter((s) => s.id !== 'reflections')
      .map((section) => {
        const openId = bot.openId(section.owners[0]!);
        const prompt = fake.chatMessages(fake.p2pChatOf(openId).chat_id).find((m) => formValueOf(m)?.sectionId === section.id)!;
        const typed = seedReply(section.id).trimEnd();
        return { sectionId: section.id, openId, prompt, messages: section.kind === 'list' ? typed.split(/\n(?=\S)/) : [typed] };
      });
    expect(queues.find((q) => q.sectionId === 'o2')!.messages).toHaveLength(7);
    // Owners type at the same time: the sections interleave, each section's messages in order.
    for (let round = 0; queues.some((q) => round < q.messages.length); round++) {
      for (const { openId, prompt, messages } of queues) {
        const text = messages[round];
        if (text === undefined) continue;
        const message = fake.userWrites(openId, { msgType: 'text', content: JSON.stringify({ text }), replyTo: prompt.message_id, inThread: true });
        expect((await bot.deliver(messageReceived(APP, message))).status).toBe(200);
      }
    }
    // Every message was taken: one confirmation each, no refusal.
    for (const { prompt, messages } of queues) {
      const answers = fake.threadOf(prompt.message_id).filter((m) => m.sender === 'bot');
      expect(answers.map((m) => textOf(m).slice(0, 1))).toEqual(messages.map(() => '✅'));
    }

    bot.setNow('2024-06-07T17:00:00+08:00');
    expect((await runDueJobs(bot.ctx, bot.team, 'test-holder')).at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    const [header] = fake.chatMessages(feishuModule.reportChannel(bot.team.definition)!).filter((m) => m.sender === 'bot');
    const thread = fake.threadOf(header!.message_id);
    expect(thread.filter((m) => m.msg_type === 'interactive').map(markdownOf).join('\n\n')).toBe(EXPECTED_MD.trimEnd());
    const files = thread.filter((m) => m.msg_type === 'file');
    expect(files).toHaveLength(1);
    const file = fake.files.get((JSON.parse(files[0]!.content) as { file_key: string }).file_key)!;
    // The compiled file ends with a newline; expected.md is stored without one.
    expect(file.content.toString('utf8')).toBe(`${EXPECTED_MD.replace(/\n$/, '')}\n`);
  });
});

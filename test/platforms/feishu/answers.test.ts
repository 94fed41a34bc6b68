import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/jobs.ts';
import { compileWeek } from '../../../handlers/publish.ts';
import { messageReceived, messageRecalled } from '../../fakes/feishu-webhook.ts';
import { APP, formValueOf, startFeishuHarness, type FeishuHarness } from './harness.ts';

/** On Feishu too, an answer is every message in the prompt's thread, and a recalled message leaves it. */
describe('answers sent as several Feishu messages', () => {
  let bot: FeishuHarness;
  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_answers');
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('appends each message and removes a recalled one', async () => {
    const { fake } = bot;
    const owner = bot.openId('owner-o1');
    const chat = fake.p2pChatOf(owner).chat_id;
    const prompt = fake.chatMessages(chat).find((m) => formValueOf(m)?.sectionId === 'o1')!;
    const write = async (body: string) => {
      const message = fake.userWrites(owner, { msgType: 'text', content: JSON.stringify({ text: body }), replyTo: prompt.message_id, inThread: true });
      expect((await bot.deliver(messageReceived(APP, message))).status).toBe(200);
      return message;
    };
    const o1 = async () => {
      const cycle = (await bot.store.getCycle('payments-weekly', '2024-W23'))!;
      return (await compileWeek(bot.ctx, bot.team, cycle)).sections.find((s) => s.id === 'o1')!.markdown;
    };
    await write('1. 第一件事');
    const second = await write('2. 第二件事');
    await write('3. 第三件事');
    expect(await o1()).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第二件事\n3. 第三件事');

    const recall = messageRecalled(APP, second);
    expect((await bot.deliver(recall)).status).toBe(200);
    // Feishu delivers at least once: the same recall again changes nothing.
    expect((await bot.deliver(recall)).status).toBe(200);
    expect(await o1()).toBe('## 【O1 业务服务】\n\n1. 第一件事\n2. 第三件事');
    const history = await bot.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' });
    expect(history).toHaveLength(4);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/jobs.ts';
import { compileWeek } from '../../../../handlers/publish.ts';
import { cardFormSubmitted, messageReceived, messageRecalled } from '../../../fakes/feishu-webhook.ts';
import { APP, formInputsOf, formValueOf, startFeishuHarness, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

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

  it('replaces the whole answer with the card form submitted after two messages', async () => {
    const { fake } = bot;
    const owner = bot.openId('owner-o3');
    const prompt = fake.chatMessages(fake.p2pChatOf(owner).chat_id).find((m) => formValueOf(m)?.sectionId === 'o3')!;
    for (const body of ['1. 第一件事', '2. 第二件事']) {
      const message = fake.userWrites(owner, { msgType: 'text', content: JSON.stringify({ text: body }), replyTo: prompt.message_id, inThread: true });
      expect((await bot.deliver(messageReceived(APP, message))).status).toBe(200);
    }
    const o3 = async () => {
      const cycle = (await bot.store.getCycle('payments-weekly', '2024-W23'))!;
      return (await compileWeek(bot.ctx, bot.team, cycle)).sections.find((s) => s.id === 'o3')!.markdown;
    };
    expect(await o3()).toBe('## 【O3 平台治理】\n\n1. 第一件事\n2. 第二件事');

    // The form travels with each confirmation card, prefilled with the answer as it stands (the
    // prompt's card still holds what it was sent with: Feishu forms live in the card).
    const confirmation = fake.chatMessages(prompt.chat_id, { all: true }).filter((m) => m.sender === 'bot' && m.parent_id === prompt.message_id && formValueOf(m)).at(-1)!;
    expect(formInputsOf(confirmation).map((i) => i.value).join('\n')).toBe('1. 第一件事\n2. 第二件事');

    const [input] = formInputsOf(confirmation);
    const submitted = await bot.deliver(
      cardFormSubmitted(APP, {
        openId: owner,
        messageId: confirmation.message_id,
        chatId: confirmation.chat_id,
        value: formValueOf(confirmation),
        formValue: { [input!.name]: '1. 表单里的唯一一件事' },
      }),
      { path: '/feishu/card' },
    );
    expect(submitted.status).toBe(200);
    expect(submitted.body).toMatchObject({ toast: { type: 'success' } });
    expect(await o3()).toBe('## 【O3 平台治理】\n\n1. 表单里的唯一一件事');
    const history = await bot.store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o3', owner: 'owner-o3' });
    expect(history.map((r) => r.parts!.map((p) => p.rawText))).toEqual([['1. 第一件事'], ['1. 第一件事', '2. 第二件事'], ['1. 表单里的唯一一件事']]);
  });
});

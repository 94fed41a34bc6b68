import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { cardFormSubmitted, messageReceived } from '../../fakes/feishu-webhook.ts';
import type { FakeMessage } from '../../fakes/feishu-open-api.ts';
import { APP, cardOf, formValueOf, startFeishuHarness, textOf, type FeishuHarness } from './harness.ts';

/** `open` on a holiday week, and after the publish time, asks first on Feishu: a card with a button per choice (issue #20, cases 3 and 11). */
describe('`open` on Feishu asks first, with card buttons', () => {
  let bot: FeishuHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });
  const chatOf = (h: FeishuHarness, person: string) => h.fake.p2pChatOf(h.openId(person)).chat_id;
  const leadSees = (h: FeishuHarness) => h.fake.chatMessages(chatOf(h, 'lead')).at(-1)!;
  const prompts = (h: FeishuHarness) => [...h.fake.messages.values()].filter((m) => m.sender === 'bot' && formValueOf(m)?.sectionId);
  const write = async (h: FeishuHarness, text: string) => {
    const message = h.fake.userWrites(h.openId('lead'), { msgType: 'text', content: JSON.stringify({ text }) });
    expect((await h.deliver(messageReceived(APP, message))).status).toBe(200);
  };
  type Button = { tag: string; name?: string; text?: { content: string }; behaviors?: { value: { action?: string; command?: string } }[] };
  const buttonsOf = (card: FakeMessage) => (cardOf(card).body.elements as Button[]).filter((e) => e.tag === 'button');
  /** Presses the card's button that runs `command`. */
  const press = async (h: FeishuHarness, card: FakeMessage, command: string) => {
    const button = buttonsOf(card).find((b) => b.behaviors?.[0]?.value.command === command)!;
    const answer = await h.deliver(
      cardFormSubmitted(APP, {
        openId: h.openId('lead'),
        messageId: card.message_id,
        chatId: card.chat_id,
        value: button.behaviors![0]!.value,
        formValue: {},
        buttonName: button.name!,
      }),
    );
    expect(answer.status).toBe(200);
  };

  it('a holiday week: the card names the holiday and asks; “仍然开始” opens it, once however often pressed', async () => {
    bot = await startFeishuHarness('feishu_open_holiday', { now: '2024-06-03T10:00:00+08:00' });
    bot.team.definition.holidays = [{ name: '端午节', from: '2024-06-07', to: '2024-06-10' }];
    await write(bot, '/weekly-report open');
    const asked = leadSees(bot);
    expect(textOf(asked)).toMatch(/^2024-W23 是假期（端午节），按团队定义本周不收集周报。确定要现在开始吗？/);
    expect(buttonsOf(asked).map((b) => [b.text?.content, b.behaviors?.[0]?.value.command])).toEqual([['仍然开始 2024-W23', 'open confirm']]);
    expect(prompts(bot)).toEqual([]);

    await press(bot, asked, 'open confirm');
    expect(textOf(leadSees(bot))).toMatch(/^已开始 2024-W23：发出提示 13 条/);
    expect(prompts(bot)).toHaveLength(13);
    await press(bot, asked, 'open confirm');
    expect(textOf(leadSees(bot))).toMatch(/^2024-W23 已经在收集中：发出提示 0 条/);
    expect(prompts(bot)).toHaveLength(13);
  });

  it('on Sunday: buttons for this week late and the next week; “补开” prompts with no set deadline', async () => {
    bot = await startFeishuHarness('feishu_open_late', { now: '2024-06-09T21:00:00+08:00' });
    bot.team.definition.holidays = [];
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    await write(bot, '/weekly-report open');
    const asked = leadSees(bot);
    expect(buttonsOf(asked).map((b) => [b.text?.content, b.behaviors?.[0]?.value.command])).toEqual([
      ['补开 2024-W23', 'open late'],
      ['现在开始 2024-W24', 'open next'],
    ]);
    await press(bot, asked, 'open late');
    expect(prompts(bot)).toHaveLength(13);
    for (const prompt of prompts(bot)) expect(textOf(prompt)).toContain('没有定时截止：负责人收齐后发布。');
  });
});

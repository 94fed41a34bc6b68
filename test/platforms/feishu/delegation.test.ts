import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { menuClicked, messageReceived } from '../../fakes/feishu-webhook.ts';
import { APP, formValueOf, markdownOf, startFeishuHarness, textOf, type FeishuHarness } from './harness.ts';

/**
 * Handing a section over, and listing and cancelling handovers and absences, on Feishu against the
 * fake Open API: Feishu has no slash commands, so the lead types `/weekly-report …` to the bot.
 */
describe('a section handed over, on Feishu', () => {
  let bot: FeishuHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });
  /** A person types in their p2p chat with the bot (in a prompt's thread when given). */
  const write = async (h: FeishuHarness, person: string, text: string, replyTo?: string) => {
    const message = h.fake.userWrites(h.openId(person), {
      msgType: 'text',
      content: JSON.stringify({ text }),
      ...(replyTo ? { replyTo, inThread: true } : {}),
    });
    expect((await h.deliver(messageReceived(APP, message))).status).toBe(200);
  };
  const chatOf = (h: FeishuHarness, person: string) => h.fake.p2pChatOf(h.openId(person)).chat_id;
  const promptOf = (h: FeishuHarness, person: string, sectionId: string) =>
    h.fake.chatMessages(chatOf(h, person)).find((m) => formValueOf(m)?.sectionId === sectionId)!;
  /** The bot's last message in a prompt's thread. */
  const lastInThread = (h: FeishuHarness, promptId: string) =>
    h.fake
      .threadOf(promptId)
      .filter((m) => m.sender === 'bot')
      .at(-1)!;
  /** What the bot answered the lead last, in their chat with it. */
  const command = async (h: FeishuHarness, text: string) => {
    await write(h, 'lead', `/weekly-report ${text}`);
    return textOf(
      h.fake
        .chatMessages(chatOf(h, 'lead'))
        .filter((m) => m.sender === 'bot')
        .at(-1)!,
    );
  };

  it('refuses the owner after the handover, previews the delegate’s answer after the owner’s, and lists and cancels it typed to the bot', async () => {
    bot = await startFeishuHarness('feishu_delegation', { now: '2024-06-04T15:31:00+08:00' });
    await runDueJobs(bot.ctx, bot.team, 'test-holder');
    const ownerPrompt = promptOf(bot, 'owner-o1', 'o1');
    await write(bot, 'owner-o1', '1. 原负责人写的', ownerPrompt.message_id);

    expect(await command(bot, 'delegate o1 owner-o2')).toContain('交给 Owner O2');
    await write(bot, 'owner-o1', '2. 交接后写的', ownerPrompt.message_id);
    expect(textOf(lastInThread(bot, ownerPrompt.message_id))).toContain('⚠️ 没有保存：2024-W23 的 【O1 业务服务】 已交给 Owner O2 填写');

    const delegatePrompt = promptOf(bot, 'owner-o2', 'o1');
    await write(bot, 'owner-o2', '1. 代填的人写的', delegatePrompt.message_id);
    expect(markdownOf(lastInThread(bot, delegatePrompt.message_id))).toContain('1. 原负责人写的\n2. 代填的人写的');

    expect(await command(bot, 'delegate list')).toContain('• 【O1 业务服务】（o1）：Owner O1 → Owner O2（Lead 设置）');
    // From the bot's menu too (docs/feishu.md): weekly_report_delegate_list runs `delegate list`.
    expect((await bot.deliver(menuClicked(APP, bot.openId('lead'), 'weekly_report_delegate_list'))).status).toBe(200);
    expect(
      textOf(
        bot.fake
          .chatMessages(chatOf(bot, 'lead'))
          .filter((m) => m.sender === 'bot')
          .at(-1)!,
      ),
    ).toMatch(/^2024-W23 交接的部分：\n• 【O1 业务服务】/);
    expect(await command(bot, 'delegate cancel o1')).toMatch(/^已取消：2024-W23 的 【O1 业务服务】 不再交给 Owner O2/);
    await write(bot, 'owner-o1', '2. 取消后写的', ownerPrompt.message_id);
    expect(markdownOf(lastInThread(bot, ownerPrompt.message_id))).toContain('1. 原负责人写的\n2. 取消后写的\n3. 代填的人写的');

    await command(bot, 'away owner-o3 6/17 6/21');
    expect(await command(bot, 'away list')).toContain('• Owner O3（owner-o3）2024-06-17 至 2024-06-21（Lead 设置）');
    expect(await command(bot, 'away cancel owner-o3')).toBe('已取消：Owner O3 2024-06-17 至 2024-06-21 的休假。');
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  });
});

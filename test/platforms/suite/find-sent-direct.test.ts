import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingMessage } from '../../../src/platforms/platform.ts';
import { platformsWith, type PlatformHarness } from './platforms.ts';

const KEY = 'prompt:payments-weekly:2024-W23:o1:owner-o1';
const prompt = (section: string): OutgoingMessage => ({
  text: `📝 支付中心周报 2024-W23：请填写 ${section}，截止 6月7日 17:00。\n\n上周没有内容，请直接填写。`,
  answerForm: { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', title: section, prefill: '', locale: 'zh-CN' },
});

/**
 * What every platform's findSentDirect promises (issue #14): a direct message the bot sent is found
 * in the person's chat, and one it never sent is not. How each looks (Slack: the key in the
 * message's metadata, paging conversations.history; Feishu: the card's text, paging
 * im.v1.message.list, and only in a chat it knows) is find-sent-direct.test.ts in its folder.
 */
describe.each(platformsWith('findSentDirect'))('findSentDirect on $name', (platform) => {
  let h: PlatformHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('finds a direct message the bot sent, in the chat it went to, and nothing for one it never sent', async () => {
    h = await platform.start('find_sent_direct', { messagesAtTestClock: true });
    const chat = h.ctx.platforms[h.name]!;
    const userId = h.ctx.modules.find((m) => m.name === h!.name)!.userIdOf(h.team.definition.people['owner-o1']!, 'owner-o1')!;
    const since = new Date(h.ctx.clock.now().getTime() - 60_000);

    const sent = await chat.sendDirect(userId, prompt('【O1 业务服务】'), { idempotencyKey: KEY });
    await chat.sendDirect(userId, prompt('【O2 能力升级】'), { idempotencyKey: `${KEY}-other` });
    expect(await chat.findSentDirect!(userId, { idempotencyKey: KEY, message: prompt('【O1 业务服务】'), since, channel: sent.channel })).toEqual(sent);
    expect(
      await chat.findSentDirect!(userId, { idempotencyKey: `${KEY}-never-sent`, message: prompt('【O4 支付 × AI】'), since, channel: sent.channel }),
    ).toBeNull();
  });
});

import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openWeek } from '../../../handlers/cycle/prompt.ts';
import { seedReply } from '../../support/bot.ts';
import { cardFormSubmitted, menuClicked, messageReceived, newEventId, postToFeishuWebhook, urlVerification } from '../../fakes/feishu-webhook.ts';
import { APP, startFeishuHarness, textOf, type FeishuHarness } from './harness.ts';

const WEEK = '2024-W23';

/**
 * Webhook mode with the real runtime on a free port: only requests that are encrypted with the
 * app's key, signed, fresh and carry the verification token get through; anything else is
 * answered with an error and changes nothing. Redeliveries of one event store one revision.
 */
describe('the Feishu webhook', () => {
  let bot: FeishuHarness;
  const o1 = () => bot.openId('owner-o1');
  const o1History = () => bot.store.submissionHistory({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', owner: 'owner-o1' });
  const botSends = () => bot.fake.calls.filter((c) => c.api.startsWith('im.v1.message.') && c.api !== 'im.v1.message.get').length;

  /** O1's plain DM with this week's text: stored as o1 when it gets through. */
  const o1Reply = (eventId = newEventId()) => {
    const message = bot.fake.userWrites(o1(), { msgType: 'text', content: JSON.stringify({ text: seedReply('o1') }) });
    return messageReceived(APP, message, { eventId });
  };

  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_webhook');
    await openWeek(bot.ctx, bot.team, WEEK);
  });
  afterAll(async () => {
    await bot?.close();
  });

  describe('refuses a request that is not from Feishu, and nothing changes', () => {
    let sendsBefore: number;
    beforeEach(() => {
      sendsBefore = botSends();
    });
    const expectNothingChanged = async () => {
      expect(await o1History()).toEqual([]);
      expect(botSends()).toBe(sendsBefore);
    };

    it('with a bad signature', async () => {
      const answer = await bot.deliver(o1Reply(), { signature: 'f'.repeat(64) });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('encrypted and signed with another encrypt key', async () => {
      const answer = await bot.deliver(o1Reply(), { encryptWith: 'someone-elses-key', signWith: 'someone-elses-key' });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('encrypted with another key under a valid signature', async () => {
      const answer = await bot.deliver(o1Reply(), { encryptWith: 'someone-elses-key' });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('with a stale timestamp (a replayed request)', async () => {
      const answer = await bot.deliver(o1Reply(), { timestamp: Math.floor(Date.now() / 1000) - 6 * 60 });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('with a timestamp in the future', async () => {
      const answer = await bot.deliver(o1Reply(), { timestamp: Math.floor(Date.now() / 1000) + 6 * 60 });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('without signature headers', async () => {
      const answer = await bot.deliver(o1Reply(), { unsigned: true });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('in clear text', async () => {
      const answer = await bot.deliver(o1Reply(), { plain: true });
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('with the wrong verification token inside', async () => {
      const event = o1Reply();
      event.header.token = 'not-the-verification-token';
      const answer = await bot.deliver(event);
      expect(answer.status).toBe(401);
      await expectNothingChanged();
    });

    it('a card callback with a bad signature', async () => {
      const prompt = { openId: o1(), messageId: 'om_anything', chatId: 'oc_anything' };
      const payload = cardFormSubmitted(APP, {
        ...prompt,
        value: { action: 'weekly-report.answer', teamId: 'payments-weekly', week: WEEK, sectionId: 'o1' },
        formValue: { answer_1: seedReply('o1') },
      });
      const answer = await bot.deliver(payload, { path: '/feishu/card', signature: '0'.repeat(64) });
      expect(answer.status).toBe(401);
      expect(answer.body).not.toHaveProperty('toast');
      await expectNothingChanged();
    });

    it('a command from the bot menu with a stale timestamp', async () => {
      const answer = await bot.deliver(menuClicked(APP, bot.openId('lead'), 'weekly_report_publish'), { timestamp: Math.floor(Date.now() / 1000) - 3600 });
      expect(answer.status).toBe(401);
      expect(await bot.store.getCycle('payments-weekly', WEEK)).toMatchObject({ status: 'open', posts: [] });
      await expectNothingChanged();
    });

    it('anything but POST on the webhook paths, and other paths', async () => {
      const base = bot.webhookUrl();
      expect((await fetch(`${base}/feishu/events`)).status).toBe(405);
      expect((await fetch(`${base}/slack/events`, { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await fetch(`${base}/feishu/events`, { method: 'POST', body: 'not json' })).status).toBe(400);
      await expectNothingChanged();
    });
  });

  describe('answers 400 at once to a signed request that decrypts to no Feishu event, and nothing changes', () => {
    it('for a payload that is not an object, or an object that is no event', async () => {
      const rejections: unknown[] = [];
      const onRejection = (reason: unknown) => rejections.push(reason);
      process.on('unhandledRejection', onRejection);
      const sendsBefore = botSends();
      try {
        const payloads: unknown[] = [
          null,
          [],
          {},
          'x',
          42,
          { schema: '2.0', header: null },
          { schema: '2.0', header: { event_type: 'im.message.receive_v1' }, event: 'x' },
        ];
        for (const payload of payloads) {
          const answer = await bot.deliver(payload);
          expect({ payload, status: answer.status }).toEqual({ payload, status: 400 });
        }
        await new Promise((resolve) => setImmediate(resolve));
        expect(rejections).toEqual([]);
      } finally {
        process.off('unhandledRejection', onRejection);
      }
      expect(await o1History()).toEqual([]);
      expect(botSends()).toBe(sendsBefore);
      expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
    });

    it('saying why, to the sender and in the log', async () => {
      expect(await bot.deliver(null)).toEqual({ status: 400, body: { error: 'the decrypted body is null, not a Feishu event object' } });
      expect(await bot.deliver({})).toEqual({ status: 400, body: { error: 'the decrypted body has neither a "header" nor a "type"' } });
      expect(bot.logs.filter((l) => l.level === 40).slice(-2)).toMatchObject([
        { msg: 'Feishu webhook request rejected', reason: 'the decrypted body is null, not a Feishu event object' },
        { msg: 'Feishu webhook request rejected', reason: 'the decrypted body has neither a "header" nor a "type"' },
      ]);
    });

    it('but 401 when it is not signed (only the URL check comes unsigned)', async () => {
      expect((await bot.deliver(null, { unsigned: true })).status).toBe(401);
      expect((await bot.deliver([], { unsigned: true })).status).toBe(401);
    });
  });

  it('answers the URL check with its challenge, only with the right token', async () => {
    const good = await bot.deliver(urlVerification(APP, 'challenge-123'), { unsigned: true });
    expect(good).toEqual({ status: 200, body: { challenge: 'challenge-123' } });
    const onCardPath = await bot.deliver(urlVerification(APP, 'challenge-456'), { path: '/feishu/card' });
    expect(onCardPath).toEqual({ status: 200, body: { challenge: 'challenge-456' } });
    const wrong = await bot.deliver({ ...urlVerification(APP, 'challenge-789'), token: 'wrong' }, { unsigned: true });
    expect(wrong.status).toBe(401);
    const wrongKey = await bot.deliver(urlVerification(APP, 'challenge-000'), { unsigned: true, encryptWith: 'someone-elses-key' });
    expect(wrongKey.status).toBe(401);
  });

  it('stores one revision when Feishu delivers the same event three times', async () => {
    const event = o1Reply();
    const answers = [await bot.deliver(event), await bot.deliver(event)];
    // A redelivery can overlap with the first delivery still being handled.
    answers.push(...(await Promise.all([postToFeishuWebhook(bot.webhookUrl(), APP, event), postToFeishuWebhook(bot.webhookUrl(), APP, event)])));
    await bot.runtime.idle();
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    const history = await o1History();
    expect(history).toHaveLength(1);
    expect(history[0]).toMatchObject({ revision: 1, platform: 'feishu', eventId: event.header.event_id, sourceMessageId: event.event.message.message_id });
    const chat = bot.fake.p2pChatOf(o1()).chat_id;
    expect(bot.fake.chatMessages(chat).filter((m) => m.sender === 'bot' && textOf(m).startsWith('✅'))).toHaveLength(1);

    // A new message (a new event) is a new revision.
    await bot.deliver(o1Reply());
    expect((await o1History()).map((s) => s.revision)).toEqual([1, 2]);
  });

  it('runs a command once when Feishu delivers it twice', async () => {
    const lead = bot.openId('lead');
    const event = menuClicked(APP, lead, 'weekly_report_status');
    await bot.deliver(event);
    await bot.deliver(event);
    const chat = bot.fake.p2pChatOf(lead).chat_id;
    expect(bot.fake.chatMessages(chat).filter((m) => textOf(m).startsWith(`${WEEK} 已提交`))).toHaveLength(1);
  });

  it('answers a card form within Feishu’s 3 s with a toast, then stores the answer', async () => {
    const owner = bot.openId('owner-o4');
    const started = Date.now();
    const answer = await postToFeishuWebhook(
      bot.webhookUrl(),
      APP,
      cardFormSubmitted(APP, {
        openId: owner,
        messageId: 'om_prompt',
        chatId: bot.fake.p2pChatOf(owner).chat_id,
        value: { action: 'weekly-report.answer', teamId: 'payments-weekly', week: WEEK, sectionId: 'o4' },
        formValue: { answer_1: '1. 「贝小理」运营目标准确率>90%', answer_2: '' },
      }),
      { path: '/feishu/card' },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(answer).toMatchObject({ status: 200, body: { toast: { type: 'success' } } });
    await bot.runtime.idle();
    const stored = await bot.store.submissionHistory({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o4', owner: 'owner-o4' });
    expect(stored.map((s) => s.rawText)).toEqual(['1. 「贝小理」运营目标准确率>90%']);
  });

  it('answers a form the section cannot take with an error toast, and stores nothing', async () => {
    const owner = bot.openId('owner-o3');
    const sendsBefore = botSends();
    const answer = await bot.deliver(
      cardFormSubmitted(APP, {
        openId: owner,
        messageId: 'om_prompt',
        chatId: bot.fake.p2pChatOf(owner).chat_id,
        value: { action: 'weekly-report.answer', teamId: 'payments-weekly', week: WEEK, sectionId: 'o3' },
        formValue: { answer_1: '   ' },
      }),
      { path: '/feishu/card' },
    );
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ toast: { type: 'error', content: expect.stringContaining('【O3 平台治理】') } });
    expect(await bot.store.submissionHistory({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o3', owner: 'owner-o3' })).toEqual([]);
    expect(botSends()).toBe(sendsBefore);
  });

  it('answers a card action that is not an answer form with nothing', async () => {
    const answer = await bot.deliver(
      cardFormSubmitted(APP, { openId: bot.openId('owner-o4'), messageId: 'om_x', chatId: 'oc_x', value: { something: 'else' }, formValue: { answer_1: 'x' } }),
      { path: '/feishu/card' },
    );
    expect(answer).toEqual({ status: 200, body: {} });
  });
});

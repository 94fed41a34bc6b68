import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { createSlackWebClient } from '../../../src/platforms/slack/app.ts';
import { SlackPlatform } from '../../../src/platforms/slack/client-platform.ts';
import type { SlackConfig } from '../../../src/platforms/slack/config.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { VirtualClock } from '../../support/manual-clock.ts';
import { BOT_TOKEN, FAST_RETRIES } from './harness.ts';

const OWNER = 'U0000000004';
const KEY = 'prompt:payments-weekly:2024-W23:o1:owner-o1';
const T0 = Date.parse('2024-06-04T07:30:00Z');

/** Whether a send whose outcome is unknown reached the DM, read back with conversations.history (issue #14). */
describe('SlackPlatform.findSentDirect', () => {
  let fake: FakeSlackApi;
  let now = T0;
  // Messages to one DM are paced a second apart, on this clock: virtual, no real waits.
  let clock: VirtualClock;
  const platform = () => {
    // A new platform each time, as a restarted process has: nothing cached about the DM.
    const config: SlackConfig = { botToken: BOT_TOKEN, apiUrl: fake.apiUrl, transport: { mode: 'http', signingSecret: 'unused-secret' } };
    return new SlackPlatform(createSlackWebClient(config, { logger: createLogger('test'), retryConfig: FAST_RETRIES, clock }));
  };
  beforeEach(async () => {
    clock = new VirtualClock();
    fake = await FakeSlackApi.start({ token: BOT_TOKEN, users: [{ id: OWNER, name: 'owner-o1' }], clock });
    now = T0;
    fake.useClock(() => now);
  });
  afterEach(async () => {
    await fake?.close();
  });

  it('finds the bot’s message by the key in its metadata, paging back through newer messages', async () => {
    const sent = await platform().sendDirect(OWNER, { text: '📝 请填写 【O1 业务服务】' }, { idempotencyKey: KEY });
    expect(fake.message(sent.channel, sent.messageId)?.metadata).toEqual({ event_type: 'weekly_report_send', event_payload: { idempotency_key: KEY } });
    // Another prompt, then 250 messages the owner typed afterwards, one quoting the key.
    await platform().sendDirect(OWNER, { text: '📝 请填写 【O2 能力升级】' }, { idempotencyKey: `${KEY}-other` });
    for (let i = 0; i < 250; i++) {
      now += 1000;
      fake.userMessage({ channel: sent.channel, user: OWNER, text: i === 0 ? KEY : `第 ${i} 条` });
    }

    const lookup = { idempotencyKey: KEY, message: { text: 'unused by Slack' }, since: new Date(T0 - 60_000) };
    expect(await platform().findSentDirect(OWNER, lookup)).toEqual(sent);
    const pages = fake.callsTo('conversations.history', 'ok');
    expect(pages).toHaveLength(2);
    expect(pages[1]!.args.cursor).toBeTruthy();
    expect(pages.every((c) => c.args.channel === sent.channel && String(c.args.include_all_metadata) === 'true')).toBe(true);

    // Not there: another key, or a send before `since` (Slack's `oldest`).
    expect(await platform().findSentDirect(OWNER, { ...lookup, idempotencyKey: `${KEY}-never-sent` })).toBeNull();
    expect(await platform().findSentDirect(OWNER, { ...lookup, since: new Date(T0 + 10_000) })).toBeNull();
  });
});

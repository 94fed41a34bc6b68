import { afterEach, describe, expect, it } from 'vitest';
import { openWeek } from '../../../handlers/cycle/prompt.ts';
import { STATUS_AT_ONCE_MAX_AGE_MS } from '../../../handlers/inbound/status-memo.ts';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import { FORM_TYPE, imMessageEvent, slackTextOf, slashCommandBody } from '../../fakes/slack-payloads.ts';
import { startSlackHarness, type SlackHarness } from './harness.ts';

const TUESDAY = '2024-06-04T15:34:00+08:00';

/**
 * `/weekly-report status` asked over and over: the answer computed a moment ago goes back in the
 * command's acknowledgement (Bolt's `ack` with a body), so nothing is run, stored or posted to
 * response_url for it; anything newer is computed again and answered over response_url.
 */
describe('a status answered in the slash command’s acknowledgement', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** A signed `/weekly-report status` from the lead; its trigger_id too (what the command's dedupe mark is keyed on). */
  async function status(harness: SlackHarness): Promise<{ status: number; body: string; triggerId: string }> {
    const body = slashCommandBody(harness.fake, {
      user: harness.slackId('lead'),
      channel: slackModule.reportChannel(harness.team.definition)!,
      text: 'status',
    });
    const response = await harness.post(body, FORM_TYPE);
    return { ...response, triggerId: new URLSearchParams(body).get('trigger_id')! };
  }

  it('sends the status computed a moment ago with the ack, and computes it again after an answer or a second', async () => {
    const harness = (h = await startSlackHarness('slack_status_ack', { now: TUESDAY }));
    await openWeek(harness.ctx, harness.team, '2024-W23');

    // The first is acknowledged empty and answered over response_url.
    const first = await status(harness);
    expect(first).toMatchObject({ status: 200, body: '' });
    expect(harness.fake.responses).toHaveLength(1);
    const computed = harness.fake.responses[0]!.body as { text: string; blocks?: unknown };
    expect(computed.text).toContain('已提交 0/');

    // Asked again at once: the same answer, in the ack, visible to the lead only.
    const second = await status(harness);
    expect(second.status).toBe(200);
    expect(JSON.parse(second.body)).toEqual({ response_type: 'ephemeral', text: computed.text, ...(computed.blocks ? { blocks: computed.blocks } : {}) });
    expect(harness.fake.responses).toHaveLength(1);
    // Nothing was run for it: its trigger_id was never marked seen.
    expect(await harness.store.markEventSeen('slack', `command:${second.triggerId}`, new Date(TUESDAY))).toBe(true);

    // An answer stored meanwhile: computed again, and it shows.
    const user = harness.slackId('owner-o1');
    const message = harness.fake.userMessage({ channel: harness.fake.dmChannelOf(user), user, text: slackTextOf('1. 存管路由专项：拓展16城') });
    expect((await harness.sendEvent(imMessageEvent(message))).status).toBe(200);
    expect((await status(harness)).body).toBe('');
    expect(harness.fake.responses).toHaveLength(2);
    expect((harness.fake.responses[1]!.body as { text: string }).text).toContain('已提交 1/');
    expect(JSON.parse((await status(harness)).body)).toMatchObject({ text: expect.stringContaining('已提交 1/') });

    // A second later, computed again (another replica's answers show within seconds).
    harness.setNow(new Date(new Date(TUESDAY).getTime() + STATUS_AT_ONCE_MAX_AGE_MS).toISOString());
    expect((await status(harness)).body).toBe('');
    expect(harness.fake.responses).toHaveLength(3);
  });
});

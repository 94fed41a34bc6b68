import { describe, expect, it } from 'vitest';
import { replyFromMessageEvent } from '../../../src/platforms/slack/events.ts';

const SELF = { botUserId: 'UBOT000001', botId: 'BBOT000001' };
const envelope = (event: Record<string, unknown>, eventId = 'Ev0001') => ({ type: 'event_callback', event_id: eventId, event });
const dm = (fields: Record<string, unknown>) => ({
  type: 'message',
  channel: 'D0000000004',
  channel_type: 'im',
  user: 'U0000000004',
  ts: '1717486440.000100',
  ...fields,
});

describe('replyFromMessageEvent', () => {
  it('reads a new DM message from its text, Slack escapes included', () => {
    const reply = replyFromMessageEvent(envelope(dm({ text: '1. a &amp; b <https://x.test|x>' })), SELF);
    expect(reply).toEqual({
      sender: { platform: 'slack', userId: 'U0000000004' },
      eventId: 'Ev0001',
      channel: 'D0000000004',
      messageId: '1717486440.000100',
      input: { source: 'slack-text', text: '1. a &amp; b <https://x.test|x>' },
      rawText: '1. a & b [x](https://x.test)',
      rawPayload: dm({ text: '1. a &amp; b <https://x.test|x>' }),
    });
  });

  it('prefers rich_text blocks over the text fallback', () => {
    const blocks = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi' }] }] }];
    expect(replyFromMessageEvent(envelope(dm({ text: 'hi', blocks })), SELF)?.input).toEqual({ source: 'slack-rich-text', blocks });
  });

  it('takes a thread reply as replying to the thread’s parent', () => {
    const reply = replyFromMessageEvent(envelope(dm({ text: 'x', thread_ts: '1717400001.000001' })), SELF);
    expect(reply).toMatchObject({ replyTo: '1717400001.000001', messageId: '1717486440.000100' });
    // The parent of a thread is not a reply to itself.
    expect(replyFromMessageEvent(envelope(dm({ text: 'x', thread_ts: '1717486440.000100' })), SELF)?.replyTo).toBeUndefined();
  });

  it('takes message_changed as an edit of the original message, with the event’s own id', () => {
    const event = dm({
      subtype: 'message_changed',
      user: undefined,
      ts: '1717486999.000900',
      message: {
        type: 'message',
        user: 'U0000000004',
        text: 'new',
        ts: '1717486440.000100',
        thread_ts: '1717400001.000001',
        edited: { user: 'U0000000004', ts: '1717486999.000900' },
      },
      previous_message: { type: 'message', user: 'U0000000004', text: 'old', ts: '1717486440.000100', thread_ts: '1717400001.000001' },
    });
    expect(replyFromMessageEvent(envelope(event, 'Ev0002'), SELF)).toMatchObject({
      eventId: 'Ev0002',
      edited: true,
      messageId: '1717486440.000100',
      replyTo: '1717400001.000001',
      input: { source: 'slack-text', text: 'new' },
    });
  });

  it('ignores an "edit" that only added a link preview', () => {
    const version = { type: 'message', user: 'U0000000004', text: 'see <https://x.test>', ts: '1717486440.000100' };
    const event = dm({ subtype: 'message_changed', user: undefined, message: { ...version, attachments: [{ title: 'x' }] }, previous_message: version });
    expect(replyFromMessageEvent(envelope(event), SELF)).toBeNull();
  });

  it.each([
    ['the bot itself', dm({ user: SELF.botUserId, bot_id: SELF.botId, text: '📝' })],
    ['another bot', dm({ user: undefined, subtype: 'bot_message', bot_id: 'B0OTHER', text: 'build passed' })],
    ['an app posting as a user', dm({ bot_id: 'B0OTHER', text: 'x' })],
    ['a deletion', dm({ subtype: 'message_deleted', user: undefined, deleted_ts: '1717486440.000100' })],
    ['a file share subtype', dm({ subtype: 'file_share', text: 'x' })],
    ['a channel message', dm({ channel: 'C0000000001', channel_type: 'channel', text: 'x' })],
    [
      'an edit by the bot',
      dm({
        subtype: 'message_changed',
        user: undefined,
        message: { user: SELF.botUserId, bot_id: SELF.botId, text: 'b', ts: '1.1' },
        previous_message: { user: SELF.botUserId, text: 'a', ts: '1.1' },
      }),
    ],
  ])('ignores %s', (_what, event) => {
    expect(replyFromMessageEvent(envelope(event), SELF)).toBeNull();
  });

  it('ignores what is not a message event', () => {
    expect(replyFromMessageEvent({ type: 'url_verification', challenge: 'x' }, SELF)).toBeNull();
    expect(replyFromMessageEvent(envelope({ type: 'app_home_opened', user: 'U1' }), SELF)).toBeNull();
  });
});

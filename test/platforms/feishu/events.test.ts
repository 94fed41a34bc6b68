import { describe, expect, it } from 'vitest';
import { cardAnswer, menuCommand, messageIntent } from '../../../src/platforms/feishu/events.ts';

/** How received Feishu payloads (as the SDK's dispatcher flattens them) become replies and commands. */

const BOT = 'ou_bot';
const USER = 'ou_user';

function received(message: Record<string, unknown>, sender: Record<string, unknown> = {}) {
  return {
    event_id: 'ev_1',
    event_type: 'im.message.receive_v1',
    sender: { sender_id: { open_id: USER }, sender_type: 'user', ...sender },
    message: { message_id: 'om_1', chat_id: 'oc_p2p', chat_type: 'p2p', message_type: 'text', content: JSON.stringify({ text: 'hello' }), ...message },
  };
}

describe('messageIntent', () => {
  it('reads a p2p text as a reply to the thread’s root, not the message it quotes', () => {
    const intent = messageIntent(received({ root_id: 'om_prompt', parent_id: 'om_reminder', content: JSON.stringify({ text: '1. 完成' }) }), BOT);
    expect(intent).toMatchObject({
      kind: 'reply',
      reply: {
        sender: { platform: 'feishu', userId: USER },
        eventId: 'ev_1',
        channel: 'oc_p2p',
        messageId: 'om_1',
        replyTo: 'om_prompt',
        rawText: '1. 完成',
        input: { source: 'feishu-text' },
      },
    });
  });

  it('takes the parent when there is no root, and no replyTo when Feishu sends empty ids', () => {
    expect(messageIntent(received({ parent_id: 'om_parent' }), BOT)).toMatchObject({ reply: { replyTo: 'om_parent' } });
    const plain = messageIntent(received({ root_id: '', parent_id: '' }), BOT);
    expect(plain.kind === 'reply' && 'replyTo' in plain.reply).toBe(false);
  });

  it('reads a p2p post as a feishu-post reply, with its plain text', () => {
    const content = JSON.stringify({ title: '', content: [[{ tag: 'text', text: '1. 第一项' }], [{ tag: 'text', text: '2. 第二项' }]] });
    expect(messageIntent(received({ message_type: 'post', content }), BOT)).toMatchObject({
      kind: 'reply',
      reply: { input: { source: 'feishu-post', content }, rawText: '1. 第一项\n2. 第二项' },
    });
  });

  it('reads /weekly-report typed to the bot as a command', () => {
    expect(messageIntent(received({ content: JSON.stringify({ text: '/weekly-report week 2024-W22' }) }), BOT)).toMatchObject({
      kind: 'command',
      eventId: 'ev_1',
      chatId: 'oc_p2p',
      command: { sender: { platform: 'feishu', userId: USER }, text: 'week 2024-W22' },
    });
    expect(messageIntent(received({ content: JSON.stringify({ text: '  /weekly-report' }) }), BOT)).toMatchObject({ kind: 'command', command: { text: '' } });
    // Not a command: the word alone, or the command further down.
    expect(messageIntent(received({ content: JSON.stringify({ text: '/weekly-reports' }) }), BOT).kind).toBe('reply');
  });

  it('in a group, takes only a command that @mentions the bot, with the mention stripped', () => {
    const group = (text: string, mentionOf: string) =>
      received({
        chat_id: 'oc_group',
        chat_type: 'group',
        content: JSON.stringify({ text }),
        mentions: [{ key: '@_user_1', id: { open_id: mentionOf }, name: 'x' }],
      });
    expect(messageIntent(group('@_user_1 /weekly-report status', BOT), BOT)).toMatchObject({
      kind: 'command',
      chatId: 'oc_group',
      command: { text: 'status' },
    });
    expect(messageIntent(group('@_user_1 /weekly-report status', 'ou_someone_else'), BOT).kind).toBe('ignore');
    expect(messageIntent(group('@_user_1 1. 完成', BOT), BOT).kind).toBe('ignore');
    // Without the bot's own id, a mention is taken as the bot's.
    expect(messageIntent(group('@_user_1 /weekly-report status', 'ou_someone_else'), null)).toMatchObject({ kind: 'command' });
    const unmentioned = received({ chat_type: 'group', content: JSON.stringify({ text: '/weekly-report status' }) });
    expect(messageIntent(unmentioned, BOT).kind).toBe('ignore');
  });

  it('ignores what cannot be a reply: images, the bot’s own messages, malformed events', () => {
    expect(messageIntent(received({ message_type: 'image', content: JSON.stringify({ image_key: 'img' }) }), BOT).kind).toBe('ignore');
    expect(messageIntent(received({}, { sender_type: 'app' }), BOT).kind).toBe('ignore');
    expect(messageIntent({ event_id: 'ev' }, BOT).kind).toBe('ignore');
  });
});

describe('menuCommand', () => {
  const menu = (eventKey: string) => ({ event_id: 'ev_m', event_key: eventKey, operator: { operator_id: { open_id: USER } } });
  it('runs weekly_report_<subcommand> as that subcommand, answered to the user', () => {
    expect(menuCommand(menu('weekly_report_status'))).toEqual({
      eventId: 'ev_m',
      command: { sender: { platform: 'feishu', userId: USER }, text: 'status', channel: USER },
    });
    expect(menuCommand(menu('weekly_report_publish'))?.command.text).toBe('publish');
  });
  it('leaves other menu items alone', () => {
    expect(menuCommand(menu('open_wiki'))).toBeNull();
  });
});

describe('cardAnswer', () => {
  const action = (value: unknown, formValue?: Record<string, unknown>) => ({
    event_id: 'ev_c',
    operator: { open_id: USER },
    action: { value, tag: 'button', ...(formValue ? { form_value: formValue } : {}) },
    context: { open_message_id: 'om_card', open_chat_id: 'oc_p2p' },
  });
  const value = { action: 'weekly-report.answer', teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1' };

  it('joins the form’s inputs in order with a newline (a blank line kept at an input’s end), leaving out blank inputs', () => {
    const reply = cardAnswer(action(value, { answer_2: 'b\n', answer_10: 'd', answer_1: 'a', answer_3: '  ', other: 'x' }));
    expect(reply).toMatchObject({
      sender: { platform: 'feishu', userId: USER },
      eventId: 'ev_c',
      channel: 'oc_p2p',
      form: { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1' },
      input: { source: 'text', text: 'a\nb\n\nd' },
      rawText: 'a\nb\n\nd',
    });
  });

  it('accepts the value as a JSON string too', () => {
    expect(cardAnswer(action(JSON.stringify(value), { answer_1: 'a' }))?.form?.sectionId).toBe('o1');
  });

  it('is null for other buttons and for a click without a form', () => {
    expect(cardAnswer(action({ action: 'something-else' }, { answer_1: 'a' }))).toBeNull();
    expect(cardAnswer(action(value))).toBeNull();
  });
});

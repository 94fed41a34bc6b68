import type { FakeMessage, FakeSlackApi, FakeView } from './slack-api.ts';

/**
 * Request bodies as Slack sends them to an app: Events API envelopes (JSON), slash commands
 * (form fields) and interactions (`payload=` with URL-encoded JSON). Shapes follow
 * https://docs.slack.dev/reference/events/message.im and the interaction payload references.
 */

export const JSON_TYPE = 'application/json';
export const FORM_TYPE = 'application/x-www-form-urlencoded';

let eventSeq = 0;
/** A fresh event id, like Ev06E5K8L4TA. */
export function newEventId(): string {
  eventSeq += 1;
  return `Ev${String(eventSeq).padStart(10, '0')}`;
}

/** The Events API envelope around an event. */
export function eventEnvelope(fake: FakeSlackApi, event: Record<string, unknown>, eventId = newEventId()): string {
  return JSON.stringify({
    token: 'legacy-verification-token',
    team_id: fake.teamId,
    api_app_id: 'A0000TEST1',
    event,
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(Date.now() / 1000),
    authorizations: [{ enterprise_id: null, team_id: fake.teamId, user_id: fake.botUserId, is_bot: true, is_enterprise_install: false }],
    is_ext_shared_channel: false,
  });
}

/** A `message.im` event for a message a person typed (as recorded by fake.userMessage). */
export function imMessageEvent(message: FakeMessage): Record<string, unknown> {
  return {
    type: 'message',
    channel: message.channel,
    user: message.user,
    text: message.text,
    ts: message.ts,
    event_ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    ...(message.blocks ? { blocks: message.blocks } : {}),
    team: 'T0000TEST1',
    client_msg_id: `client-${message.ts}`,
    channel_type: 'im',
  };
}

/** The `message_changed` event Slack sends when a person edits a DM message. */
export function imMessageChangedEvent(edited: FakeMessage, previous: { text: string; blocks?: unknown[] }): Record<string, unknown> {
  const version = (text: string, blocks?: unknown[]) => ({
    type: 'message',
    user: edited.user,
    text,
    ts: edited.ts,
    ...(edited.threadTs ? { thread_ts: edited.threadTs } : {}),
    ...(blocks ? { blocks } : {}),
    client_msg_id: `client-${edited.ts}`,
  });
  const eventTs = `${Math.floor(Date.now() / 1000)}.000900`;
  return {
    type: 'message',
    subtype: 'message_changed',
    hidden: true,
    channel: edited.channel,
    channel_type: 'im',
    ts: eventTs,
    event_ts: eventTs,
    message: { ...version(edited.text, edited.blocks), edited: { user: edited.user, ts: eventTs } },
    previous_message: version(previous.text, previous.blocks),
  };
}

/** The `message_deleted` event Slack sends when a person deletes a DM message. */
export function imMessageDeletedEvent(deleted: FakeMessage): Record<string, unknown> {
  const eventTs = `${Math.floor(Date.now() / 1000)}.000950`;
  return {
    type: 'message',
    subtype: 'message_deleted',
    hidden: true,
    channel: deleted.channel,
    channel_type: 'im',
    ts: eventTs,
    event_ts: eventTs,
    deleted_ts: deleted.ts,
    previous_message: {
      type: 'message',
      user: deleted.user,
      text: deleted.text,
      ts: deleted.ts,
      ...(deleted.threadTs ? { thread_ts: deleted.threadTs } : {}),
    },
  };
}

/** A slash command's form body. */
export function slashCommandBody(
  fake: FakeSlackApi,
  { user, channel, text, command = '/weekly-report' }: { user: string; channel: string; text: string; command?: string },
): string {
  return new URLSearchParams({
    token: 'legacy-verification-token',
    team_id: fake.teamId,
    team_domain: 'fake',
    channel_id: channel,
    channel_name: 'directmessage',
    user_id: user,
    user_name: user.toLowerCase(),
    command,
    text,
    api_app_id: 'A0000TEST1',
    is_enterprise_install: 'false',
    response_url: fake.responseUrl(),
    trigger_id: fake.triggerId(),
  }).toString();
}

/** An interaction: `payload=` and the URL-encoded JSON. */
export function interactionBody(payload: Record<string, unknown>): string {
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

/** Pressing a button of a message the bot posted in a DM. */
export function blockActionPayload(
  fake: FakeSlackApi,
  { user, message, actionId }: { user: string; message: FakeMessage; actionId: string },
): Record<string, unknown> & { trigger_id: string; response_url: string } {
  type Actions = { type?: string; block_id?: string; elements?: Record<string, unknown>[] };
  const actions = ((message.blocks as Actions[] | undefined) ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => (b.elements ?? []).map((e): Record<string, unknown> => ({ ...e, block_id: b.block_id })));
  const action = actions.find((a) => a.action_id === actionId);
  if (!action) throw new Error(`message ${message.ts} has no action ${actionId}`);
  return blockActionsPayload(fake, { user, message, action: { ...action, type: 'button', action_ts: `${Math.floor(Date.now() / 1000)}.000100` } });
}

/** A `block_actions` interaction with one action (a button pressed, a menu choice) on a message the bot posted in a DM. */
export function blockActionsPayload(
  fake: FakeSlackApi,
  { user, message, action }: { user: string; message: FakeMessage; action: Record<string, unknown> },
): Record<string, unknown> & { trigger_id: string; response_url: string } {
  return {
    type: 'block_actions',
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: fake.teamId },
    api_app_id: 'A0000TEST1',
    token: 'legacy-verification-token',
    container: { type: 'message', message_ts: message.ts, channel_id: message.channel, is_ephemeral: false },
    trigger_id: fake.triggerId(),
    team: { id: fake.teamId, domain: 'fake' },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: message.channel, name: 'directmessage' },
    message: { type: 'message', user: message.user, bot_id: message.botId, text: message.text, ts: message.ts, blocks: message.blocks },
    state: { values: {} },
    response_url: fake.responseUrl(),
    actions: [action],
  };
}

/**
 * Submitting a modal the bot opened (as the fake recorded it), with the inputs' values by
 * block id. Values not given keep the input's initial value, as in the client.
 */
export function viewSubmissionPayload(
  fake: FakeSlackApi,
  { user, view, values = {} }: { user: string; view: FakeView; values?: Record<string, string | null> },
): Record<string, unknown> {
  const state: Record<string, Record<string, { type: string; value: string | null }>> = {};
  for (const block of (view.view.blocks as { type: string; block_id: string; element: { action_id: string; initial_value?: string } }[]) ?? []) {
    if (block.type !== 'input') continue;
    const value = block.block_id in values ? values[block.block_id]! : (block.element.initial_value ?? null);
    state[block.block_id] = { [block.element.action_id]: { type: 'plain_text_input', value } };
  }
  return {
    type: 'view_submission',
    team: { id: fake.teamId, domain: 'fake' },
    user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: fake.teamId },
    api_app_id: 'A0000TEST1',
    token: 'legacy-verification-token',
    trigger_id: fake.triggerId(),
    view: {
      ...view.view,
      id: view.id,
      hash: view.hash,
      team_id: fake.teamId,
      app_id: 'A0000TEST1',
      bot_id: fake.botId,
      state: { values: state },
    },
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

// ---- what the Slack client makes of typed text ----

/** The `text` field the client sends for typed text: `&`, `<`, `>` escaped, bare URLs as `<url>`. */
export function slackTextOf(typed: string): string {
  const escaped = typed.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return escaped.replace(/https?:\/\/[^\s<>|]+/g, (url) => `<${url}>`);
}

const ORDERED = /^(\s*)(\d+)[.)]\s+(.*)$/;
const BULLET = /^(\s*)[-*•◦▪]\s+(.*)$/;

/**
 * The `rich_text` block the client sends for typed text with lists: each run of list items at one
 * depth is a `rich_text_list` (`indent` = depth, `offset` = items of that ordered list before a
 * nested list interrupted it); other lines are `rich_text_section`s.
 */
export function richTextOf(typed: string): unknown[] {
  const elements: Record<string, unknown>[] = [];
  const indents: number[] = [];
  const counts: number[] = [];
  let paragraph: string[] = [];
  const flushParagraph = () => {
    if (paragraph.length === 0) return;
    elements.push({ type: 'rich_text_section', elements: [{ type: 'text', text: `${paragraph.join('\n')}\n` }] });
    paragraph = [];
  };
  for (const line of typed.replace(/\n+$/, '').split('\n')) {
    const ordered = ORDERED.exec(line);
    const bullet = ordered ? null : BULLET.exec(line);
    if (!ordered && !bullet) {
      indents.length = 0;
      counts.length = 0;
      paragraph.push(line);
      continue;
    }
    flushParagraph();
    const lead = (ordered ?? bullet)![1]!.length;
    while (indents.length > 0 && indents.at(-1)! > lead) indents.pop();
    if (indents.length === 0 || indents.at(-1)! < lead) indents.push(lead);
    const depth = indents.length - 1;
    counts.length = depth + 1;
    const offset = counts[depth] ?? 0;
    counts[depth] = offset + 1;
    const style = ordered ? 'ordered' : 'bullet';
    const text = ordered ? ordered[3]! : bullet![2]!;
    const item = { type: 'rich_text_section', elements: [{ type: 'text', text }] };
    const last = elements.at(-1) as { type: string; style?: string; indent?: number; elements: unknown[] } | undefined;
    if (last?.type === 'rich_text_list' && last.style === style && last.indent === depth) last.elements.push(item);
    else elements.push({ type: 'rich_text_list', style, indent: depth, ...(offset > 0 ? { offset } : {}), border: 0, elements: [item] });
  }
  flushParagraph();
  return [{ type: 'rich_text', block_id: 'typed', elements }];
}

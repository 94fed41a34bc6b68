import { expect } from 'vitest';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import type { FakeFile, FakeMessage, FakeView } from '../../fakes/slack-api.ts';
import {
  blockActionPayload,
  blockActionsPayload,
  imMessageChangedEvent,
  imMessageDeletedEvent,
  imMessageEvent,
  newEventId,
  richTextOf,
  slackTextOf,
  viewSubmissionPayload,
} from '../../fakes/slack-payloads.ts';
import { startSlackHarness, unescapeMrkdwn, type SlackHarness } from '../slack/harness.ts';
import {
  TUESDAY,
  type Answer,
  type Chart,
  type Delivery,
  type PlatformHarness,
  type Prompt,
  type SeenMessage,
  type SharedFile,
  type SuitePlatform,
  type Typed,
} from './platform-harness.ts';

interface AnyBlock {
  type?: string;
  block_id?: string;
  text?: string | { text?: string };
  elements?: { type?: string; text?: string | { text?: string }; action_id?: string; value?: string }[];
  accessory?: {
    type: string;
    action_id: string;
    placeholder: unknown;
    options: { text: { text: string }; value: string }[];
    initial_option?: { value: string };
  };
}

/** What the blocks of a message or response say: markdown, section, header and context text. */
function blocksText(blocks: readonly unknown[] | undefined): string[] {
  const texts: string[] = [];
  const textOf = (t: AnyBlock['text']) => (typeof t === 'string' ? t : t?.text);
  for (const block of (blocks ?? []) as AnyBlock[]) {
    if (block.type === 'markdown' || block.type === 'section' || block.type === 'header') {
      const t = textOf(block.text);
      if (t) texts.push(t);
    } else if (block.type === 'context') {
      for (const element of block.elements ?? []) {
        const t = textOf(element.text);
        if (t) texts.push(t);
      }
    }
  }
  return texts;
}

const said = (text: string, blocks: readonly unknown[] | undefined) => unescapeMrkdwn([text, ...blocksText(blocks)].filter(Boolean).join('\n\n'));
const seen = (m: FakeMessage): SeenMessage => ({ ref: m.ts, text: said(m.text, m.blocks), edits: m.edits });

/** The value of a prompt's "open form" button: which team, week and section it asks for. */
function formValue(m: FakeMessage): { teamId: string; week: string; sectionId: string } | undefined {
  for (const block of (m.blocks ?? []) as AnyBlock[]) {
    const button = block.type === 'actions' ? block.elements?.find((e) => e.action_id === 'open_answer_form') : undefined;
    if (button?.value) return JSON.parse(button.value) as { teamId: string; week: string; sectionId: string };
  }
  return undefined;
}

/** Slack, through its runtime behind the fake Web API (test/platforms/slack/harness.ts). */
export const slackPlatform: SuitePlatform = {
  name: 'slack',
  capabilities: { edits: true, deletes: true, forms: true, goalMenus: true, buttons: true, chartPixels: true, findSentDirect: true },
  start: async (label, options = {}) => {
    const h = await startSlackHarness(`${label}_slack`, { now: options.now ?? TUESDAY });
    if (options.messagesAtTestClock) h.fake.useClock(() => h.ctx.clock.now().getTime());
    return new SlackSuiteHarness(h);
  },
};

class SlackSuiteHarness implements PlatformHarness {
  readonly name = 'slack';
  readonly capabilities = slackPlatform.capabilities;
  holder = 'test-holder';
  /** The modal last opened from each prompt. */
  private readonly views = new Map<string, FakeView>();
  private readonly typed = new Map<string, FakeMessage>();

  constructor(private readonly h: SlackHarness) {}

  get team() {
    return this.h.team;
  }
  get store() {
    return this.h.store;
  }
  get ctx() {
    return this.h.ctx;
  }
  setNow(iso: string): void {
    this.h.setNow(iso);
  }
  async restart(holder: string): Promise<void> {
    await this.h.restart(holder);
    this.holder = holder;
  }
  close(): Promise<void> {
    return this.h.close();
  }

  private get fake() {
    return this.h.fake;
  }
  private dmOf(person: string): string {
    return this.fake.dmChannelOf(this.h.slackId(person));
  }
  private reportChannel(): string {
    return slackModule.reportChannel(this.team.definition)!;
  }
  private message(ts: string): FakeMessage {
    const found = this.fake.messages.find((m) => m.ts === ts);
    if (!found) throw new Error(`no Slack message ${ts}`);
    return found;
  }
  private isBot(m: FakeMessage): boolean {
    return m.user === this.fake.botUserId;
  }
  /** Sends an event, and again with Slack's retry number when asked to. */
  private async deliver(event: Record<string, unknown>): Promise<Delivery> {
    const eventId = newEventId();
    let retryNum = 0;
    const send = async () => {
      expect((await this.h.sendEvent(event, { eventId, ...(retryNum > 0 ? { retryNum } : {}) })).status).toBe(200);
    };
    await send();
    return {
      again: async () => {
        retryNum += 1;
        await send();
      },
    };
  }
  private async interaction(payload: Record<string, unknown>): Promise<Delivery & { body: string }> {
    const send = async () => {
      const response = await this.h.interact(payload);
      expect(response.status).toBe(200);
      // A modal kept open with errors is a refusal.
      if (response.body) expect(JSON.parse(response.body) as unknown).not.toMatchObject({ response_action: 'errors' });
      return response.body;
    };
    const body = await send();
    return { body, again: async () => void (await send()) };
  }

  async reply(person: string, to: string | null, text: string): Promise<Typed> {
    const user = this.h.slackId(person);
    const target = to ? this.message(to) : undefined;
    // The Slack client sends typed text as `text` (escaped) and as a rich_text block.
    const message = this.fake.userMessage({
      channel: this.dmOf(person),
      user,
      text: slackTextOf(text),
      blocks: richTextOf(text),
      ...(target ? { threadTs: target.threadTs ?? target.ts } : {}),
    });
    this.typed.set(message.ts, message);
    const delivery = await this.deliver(imMessageEvent(message));
    return { person, ref: message.ts, again: delivery.again };
  }
  async edit(typed: Typed, text: string): Promise<Delivery> {
    const message = this.typed.get(typed.ref)!;
    const previous = { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}) };
    const edited = this.fake.userEdit(message.channel, message.ts, slackTextOf(text), richTextOf(text));
    return this.deliver(imMessageChangedEvent(edited, previous));
  }
  async remove(typed: Typed): Promise<Delivery> {
    return this.deliver(imMessageDeletedEvent(this.typed.get(typed.ref)!));
  }
  async openForm(person: string, prompt: Prompt): Promise<string[]> {
    const action = blockActionPayload(this.fake, { user: this.h.slackId(person), message: this.message(prompt.ref), actionId: 'open_answer_form' });
    await this.interaction(action);
    const view = this.fake.views.find((v) => v.triggerId === action.trigger_id);
    if (!view) throw new Error(`no modal opened from ${prompt.ref}`);
    this.views.set(prompt.ref, view);
    return (view.view.blocks as { type: string; element?: { initial_value?: string } }[])
      .filter((b) => b.type === 'input')
      .map((b) => b.element?.initial_value ?? '');
  }
  async submitForm(person: string, prompt: Prompt, text: string): Promise<Delivery> {
    if (!this.views.has(prompt.ref)) await this.openForm(person, prompt);
    const view = this.views.get(prompt.ref)!;
    const input = (view.view.blocks as { type: string; block_id: string }[]).find((b) => b.type === 'input')!;
    return this.interaction(viewSubmissionPayload(this.fake, { user: this.h.slackId(person), view, values: { [input.block_id]: text } }));
  }

  private answersSince(before: number, acknowledged?: string): Answer[] {
    const bodies = this.fake.responses.slice(before).map((r) => r.body);
    // A command may be answered in its acknowledgement instead of through response_url.
    if (acknowledged?.startsWith('{')) {
      const ack = JSON.parse(acknowledged) as Record<string, unknown>;
      if (typeof ack.text === 'string') bodies.unshift(ack);
    }
    return bodies.map((body) => {
      const blocks = body.blocks as AnyBlock[] | undefined;
      const commands = (blocks ?? [])
        .filter((b) => b.type === 'actions')
        .flatMap((b) => (b.elements ?? []).filter((e) => e.type === 'button' && e.action_id !== 'open_answer_form').map((e) => e.value ?? ''));
      return { text: said(String(body.text ?? ''), blocks), toCaller: body.response_type !== 'in_channel', commands, raw: body };
    });
  }
  async command(person: string, text: string): Promise<Answer[]> {
    const before = this.fake.responses.length;
    const response = await this.h.command(this.h.slackId(person), text);
    expect(response.status).toBe(200);
    return this.answersSince(before, response.body || undefined);
  }
  async press(person: string, answer: Answer, command: string): Promise<Answer[]> {
    const body = answer.raw as { text: string; blocks: AnyBlock[] };
    const button = body.blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.value === command);
    if (!button) throw new Error(`the answer offers no button for ${command}`);
    // The ephemeral message the button is in, as the interaction payload quotes it.
    const pressed = {
      ts: '1717740000.000100',
      channel: this.dmOf(person),
      user: this.fake.botUserId,
      text: body.text,
      blocks: body.blocks,
    } as unknown as FakeMessage;
    const before = this.fake.responses.length;
    await this.interaction(blockActionPayload(this.fake, { user: this.h.slackId(person), message: pressed, actionId: button.action_id! }));
    return this.answersSince(before);
  }
  async chooseGoal(person: string, prompt: Prompt, goal: number, status: string): Promise<Delivery> {
    const message = this.message(prompt.ref);
    const block = (message.blocks as AnyBlock[]).find((b) => b.block_id?.startsWith('goal:') && (JSON.parse(b.block_id.slice(5)) as { g: number }).g === goal);
    if (!block?.accessory) throw new Error(`no menu for goal ${goal} in ${prompt.ref}`);
    const option = block.accessory.options.find((o) => o.value === status)!;
    return this.interaction(
      blockActionsPayload(this.fake, {
        user: this.h.slackId(person),
        message,
        action: {
          type: 'static_select',
          action_id: block.accessory.action_id,
          block_id: block.block_id,
          selected_option: option,
          placeholder: block.accessory.placeholder,
          action_ts: '1717486440.000100',
        },
      }),
    );
  }

  async promptsOf(person: string): Promise<Prompt[]> {
    return this.fake.channelMessages(this.dmOf(person)).flatMap((m) => {
      const value = this.isBot(m) ? formValue(m) : undefined;
      return value ? [{ ...seen(m), ...value }] : [];
    });
  }
  async prompt(person: string, sectionId: string, week = '2024-W23'): Promise<Prompt> {
    const found = (await this.promptsOf(person)).find((p) => p.sectionId === sectionId && p.week === week);
    if (!found) throw new Error(`no ${week} prompt for ${sectionId} in the DM of ${person}`);
    return found;
  }
  thread(ref: string): SeenMessage[] {
    const root = this.message(ref);
    return this.fake
      .threadReplies(root.channel, root.ts)
      .filter((m) => this.isBot(m))
      .map(seen);
  }
  dm(person: string): SeenMessage[] {
    return this.fake
      .channelMessages(this.dmOf(person))
      .filter((m) => this.isBot(m))
      .map(seen);
  }
  channel(): SeenMessage[] {
    return this.fake
      .channelMessages(this.reportChannel())
      .filter((m) => this.isBot(m))
      .map(seen);
  }
  digest() {
    const channel = this.reportChannel();
    const [header] = this.fake.channelMessages(channel).filter((m) => this.isBot(m));
    if (!header) throw new Error('nothing posted in the report channel');
    const markdown = (m: FakeMessage) => ((m.blocks ?? []) as AnyBlock[]).flatMap((b) => (b.type === 'markdown' && typeof b.text === 'string' ? [b.text] : []));
    const parts = this.fake.threadReplies(channel, header.ts).filter((m) => this.isBot(m) && markdown(m).length > 0);
    const shared = this.fake.files.filter((f) => f.completed && f.channel === channel && f.threadTs === header.ts);
    return {
      header: seen(header),
      parts: parts.map(seen),
      body: parts.flatMap(markdown).join('\n\n'),
      files: shared.filter((f) => !isPng(f)).map(sharedFile),
      charts: shared.filter(isPng).map((f): Chart => ({ title: f.title ?? '', ...(f.bytes ? { png: f.bytes } : {}) })),
    };
  }
  sent(): SeenMessage[] {
    return this.fake.messages.filter((m) => this.isBot(m)).map(seen);
  }
  files(): SharedFile[] {
    return this.fake.files.filter((f) => f.completed && !isPng(f)).map(sharedFile);
  }
  updates(): number {
    return this.fake.callsTo('chat.update').length;
  }
  goalMenus(prompt: Prompt) {
    const blocks = (this.message(prompt.ref).blocks ?? []) as AnyBlock[];
    return blocks
      .filter((b) => b.accessory?.type === 'static_select')
      .map((b) => ({
        text: typeof b.text === 'string' ? b.text : (b.text?.text ?? ''),
        options: b.accessory!.options.map((o): [string, string] => [o.text.text, o.value]),
        ...(b.accessory!.initial_option ? { initial: b.accessory!.initial_option.value } : {}),
      }));
  }
  errors() {
    return this.h.logs.filter((l) => l.level >= 50);
  }
}

const isPng = (f: FakeFile) => f.filename.endsWith('.png');
const sharedFile = (f: FakeFile): SharedFile => ({ filename: f.filename, content: f.content ?? '' });

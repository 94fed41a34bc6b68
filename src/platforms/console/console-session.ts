import { randomUUID } from 'node:crypto';
import type { Locale } from '../../report/locale.ts';
import type { IncomingCommand, IncomingReply, OutgoingMessage, Visibility } from '../platform.ts';
import type { Inbound } from '../inbound.ts';
import type { FormOpening } from '../runtime.ts';
import { ConsoleRefusal, consoleIdTexts, type ConsoleIdTexts, type ConsoleLookups, type PromptListing } from './chat-ids.ts';
import type { ConsolePlatform } from './console-platform.ts';

/** What the person at the console typed, kept so that it can be edited later. */
export interface TypedMessage {
  id: string;
  author: string;
  text: string;
  replyTo?: string;
}

export interface ConsoleSessionOptions {
  /**
   * Where ids shown by an earlier chat on the same store are looked up (src/main.ts gives the bot's
   * store): without, only the ids this chat showed can be used.
   */
  lookups?: ConsoleLookups;
  /** The team's language, for what the chat says about an id it can't use. */
  locale?: Locale;
}

/**
 * The inbound side of the console: acts as one person of the team at a time and turns what they
 * type into the same events a chat platform delivers (a DM, a thread reply, an edit, a form
 * submission, a command).
 *
 * Every id it is given is one the person was shown: a message of this chat (ConsolePlatform's
 * ids, `u…` for their own), or a prompt or answer an earlier chat on the same store showed (see
 * chat-ids.ts). Any other id is refused with a ConsoleRefusal that names it and the ids that can
 * be used, and nothing is delivered: an unknown id is never taken for another message.
 */
export class ConsoleSession {
  private nextId = 1;
  private nextEvent = 1;
  /** Prefix of the ids of what you type: `u1`, or `3u1` in the third chat on a store that keeps its data. */
  private typedPrefix = 'u';
  /** Event ids are unique across sessions (two replicas in a test), as a platform's are. */
  private readonly session = randomUUID().slice(0, 8);
  readonly typed: TypedMessage[] = [];
  private readonly lookups: ConsoleLookups | undefined;
  private readonly texts: ConsoleIdTexts;

  constructor(
    private readonly platform: ConsolePlatform,
    private readonly inbound: Inbound,
    /** The person key you are acting as. */
    public you: string,
    private readonly onCommandAnswer: (message: OutgoingMessage, visibility: Visibility) => void = () => {},
    options: ConsoleSessionOptions = {},
  ) {
    this.lookups = options.lookups;
    this.texts = consoleIdTexts(options.locale ?? 'zh-CN');
  }

  /**
   * Gives this chat's ids their prefix (claimChatPrefix): `3` makes the bot's messages `3m1`,
   * `3m2` … and yours `3u1` …. Before anything is sent or typed.
   */
  useIdPrefix(prefix: string): void {
    if (this.nextId > 1) throw new Error('console: the id prefix is set before anything is typed');
    this.platform.useIdPrefix(`${prefix}m`);
    this.typedPrefix = `${prefix}u`;
  }

  /**
   * A direct message to the bot, or a reply in the thread of one of its messages (a reply to a
   * message in a thread, such as a reminder, is in that thread: its prompt's).
   */
  async say(text: string, replyTo?: string): Promise<IncomingReply> {
    const thread = replyTo === undefined ? undefined : await this.threadOf(replyTo);
    const message: TypedMessage = { id: `${this.typedPrefix}${this.nextId++}`, author: this.you, text, ...(thread ? { replyTo: thread } : {}) };
    this.typed.push(message);
    return this.deliver(this.reply(message, false));
  }

  /** Edits something you typed earlier (in this chat, or in an earlier one on the same store): a new revision of what it answered. */
  async edit(messageId: string, text: string): Promise<IncomingReply> {
    const message = await this.typedByYou(messageId);
    message.text = text;
    return this.deliver(this.reply(message, true));
  }

  /** Deletes something you typed earlier: its part leaves the answer it was in. */
  async remove(messageId: string): Promise<IncomingReply> {
    const message = await this.typedByYou(messageId);
    if (this.typed.includes(message)) this.typed.splice(this.typed.indexOf(message), 1);
    return this.deliver({ ...this.reply({ ...message, text: '' }, false), deleted: true });
  }

  /** The form a prompt's button opens for you: prefilled with your current answer, or why you can't open it. */
  async openForm(promptId: string): Promise<FormOpening> {
    const { teamId, week, sectionId } = await this.formOf(promptId);
    return this.inbound.handlers.openForm({ platform: 'console', userId: this.you }, { teamId, week, sectionId });
  }

  /** The prompts you can answer: this chat's to you, and this week's sent to you by an earlier chat on the store. */
  async yourPrompts(): Promise<PromptListing[]> {
    const shown = this.platform.messages
      .filter((m) => m.channel === `@${this.you}` && m.answerForm && !m.threadOf)
      .map((m) => ({ id: m.id, title: m.answerForm!.title }));
    const stored = (await this.lookups?.promptsOf(this.you)) ?? [];
    return [...stored.filter((p) => !shown.some((s) => s.id === p.id)), ...shown];
  }

  /** Submits the form of a prompt with the given text. */
  async submitForm(promptId: string, text: string): Promise<IncomingReply> {
    const { teamId, week, sectionId } = await this.formOf(promptId);
    return this.deliver({
      sender: { platform: 'console', userId: this.you },
      eventId: `console-form:${this.session}:${this.nextEvent++}`,
      channel: `@${this.you}`,
      form: { teamId, week, sectionId },
      input: { source: 'text', text },
      rawText: text,
    });
  }

  async command(text: string): Promise<void> {
    const command: IncomingCommand = { sender: { platform: 'console', userId: this.you }, text, channel: `@${this.you}` };
    const event = { platform: 'console', eventId: `console-command:${this.session}:${this.nextEvent++}`, userId: this.you, kind: 'command' };
    await this.inbound.dispatch(event, (h) => h.onCommand(command, async (message, visibility = 'channel') => this.onCommandAnswer(message, visibility)));
  }

  /** Delivers an event (again, to play a platform's duplicate delivery); resolves once it is handled. */
  async deliver(reply: IncomingReply): Promise<IncomingReply> {
    await this.inbound.dispatch({ platform: 'console', eventId: reply.eventId, userId: reply.sender.userId, kind: 'reply' }, (h) => h.onReply(reply));
    return reply;
  }

  /** The message a reply to `id` is in the thread of; refused (ConsoleRefusal) when `id` is not yours to reply to, or unknown. */
  async threadOf(id: string): Promise<string> {
    const shown = this.platform.messages.find((m) => m.id === id);
    if (shown) {
      // As on Slack and Feishu: you can only answer in your own conversation with the bot.
      if (shown.channel.startsWith('@') && shown.channel !== `@${this.you}`) throw new ConsoleRefusal(this.texts.notYours(id, shown.channel.slice(1)));
      return shown.threadOf ?? shown.id;
    }
    const prompt = await this.lookups?.prompt(id);
    if (prompt) {
      if (prompt.channel !== `@${this.you}`) throw new ConsoleRefusal(this.texts.notYours(id, prompt.owner));
      return id;
    }
    throw new ConsoleRefusal(this.texts.unknownMessage(id, await this.yourPrompts(), this.you));
  }

  /** The section and week of the prompt `id` is (or is in the thread of); refused when it is none. */
  private async formOf(id: string): Promise<{ teamId: string; week: string; sectionId: string }> {
    const shown = this.platform.messages.find((m) => m.id === id);
    if (shown?.answerForm) return shown.answerForm;
    // A reminder in the thread of a prompt an earlier chat showed, or that prompt's own id.
    const promptId = shown ? shown.threadOf : id;
    const root = promptId === undefined ? undefined : this.platform.messages.find((m) => m.id === promptId);
    if (root?.answerForm) return root.answerForm;
    const prompt = promptId === undefined || root ? null : await this.lookups?.prompt(promptId);
    if (prompt) return prompt;
    const prompts = await this.yourPrompts();
    throw new ConsoleRefusal(shown ? this.texts.notAPrompt(id, prompts, this.you) : this.texts.unknownMessage(id, prompts, this.you));
  }

  /** A message you typed: in this chat, or stored from an earlier chat on the store; refused (ConsoleRefusal) otherwise. */
  async typedByYou(id: string): Promise<TypedMessage> {
    const typed = this.typed.find((m) => m.id === id);
    const author = typed ? typed.author : await this.lookups?.typedBy(id);
    if (author && author !== this.you) throw new ConsoleRefusal(this.texts.notTypedByYou(id, author));
    if (typed) return typed;
    if (author) return { id, author, text: '' };
    const yours = this.typed.filter((m) => m.author === this.you).map((m) => m.id);
    throw new ConsoleRefusal(this.texts.unknownTyped(id, yours));
  }

  private reply(message: TypedMessage, edited: boolean): IncomingReply {
    return {
      sender: { platform: 'console', userId: message.author },
      eventId: `console:${this.session}:${this.nextEvent++}`,
      channel: `@${message.author}`,
      messageId: message.id,
      ...(message.replyTo ? { replyTo: message.replyTo } : {}),
      ...(edited ? { edited: true } : {}),
      input: { source: 'text', text: message.text },
      rawText: message.text,
    };
  }
}

import { randomUUID } from 'node:crypto';
import type { IncomingCommand, IncomingReply, OutgoingMessage, Visibility } from '../platform.ts';
import type { Inbound } from '../inbound.ts';
import type { FormOpening } from '../runtime.ts';
import type { ConsolePlatform } from './console-platform.ts';

/** What the person at the console typed, kept so that it can be edited later. */
export interface TypedMessage {
  id: string;
  author: string;
  text: string;
  replyTo?: string;
}

/**
 * The inbound side of the console: acts as one person of the team at a time and turns what they
 * type into the same events a chat platform delivers (a DM, a thread reply, an edit, a form
 * submission, a command).
 */
export class ConsoleSession {
  private nextId = 1;
  private nextEvent = 1;
  /** Event ids are unique across sessions (two replicas in a test), as a platform's are. */
  private readonly session = randomUUID().slice(0, 8);
  readonly typed: TypedMessage[] = [];

  constructor(
    private readonly platform: ConsolePlatform,
    private readonly inbound: Inbound,
    /** The person key you are acting as. */
    public you: string,
    private readonly onCommandAnswer: (message: OutgoingMessage, visibility: Visibility) => void = () => {},
  ) {}

  /** A direct message to the bot, or a reply in the thread of one of its messages. */
  async say(text: string, replyTo?: string): Promise<IncomingReply> {
    const message: TypedMessage = { id: `u${this.nextId++}`, author: this.you, text, ...(replyTo ? { replyTo } : {}) };
    this.typed.push(message);
    return this.deliver(this.reply(message, false));
  }

  /** Edits something you typed earlier: a new revision of what it answered. */
  async edit(messageId: string, text: string): Promise<IncomingReply> {
    const message = this.typed.find((m) => m.id === messageId && m.author === this.you);
    if (!message) throw new Error(`you (${this.you}) typed no message ${messageId}`);
    message.text = text;
    return this.deliver(this.reply(message, true));
  }

  /** Deletes something you typed earlier: its part leaves the answer it was in. */
  async remove(messageId: string): Promise<IncomingReply> {
    const message = this.typed.find((m) => m.id === messageId && m.author === this.you);
    if (!message) throw new Error(`you (${this.you}) typed no message ${messageId}`);
    this.typed.splice(this.typed.indexOf(message), 1);
    return this.deliver({ ...this.reply({ ...message, text: '' }, false), deleted: true });
  }

  /** The form a prompt's button opens for you: prefilled with your current answer, or why you can't open it. */
  async openForm(promptId: string): Promise<FormOpening> {
    const prompt = this.platform.messages.find((m) => m.id === promptId);
    if (!prompt?.answerForm) throw new Error(`message ${promptId} has no form`);
    const { teamId, week, sectionId } = prompt.answerForm;
    return this.inbound.handlers.openForm({ platform: 'console', userId: this.you }, { teamId, week, sectionId });
  }

  /** Submits the form of a prompt with the given text. */
  async submitForm(promptId: string, text: string): Promise<IncomingReply> {
    const prompt = this.platform.messages.find((m) => m.id === promptId);
    if (!prompt?.answerForm) throw new Error(`message ${promptId} has no form`);
    const { teamId, week, sectionId } = prompt.answerForm;
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

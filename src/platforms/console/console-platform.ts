import type { CompiledReport } from '../../report/compile.ts';
import type { Converted } from '../../report/parse/index.ts';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChatPlatform, MessageRef, OutgoingMessage, SendOptions, UploadedFile, WireReply } from '../platform.ts';
import { consoleModule, consoleReportMessages } from './module.ts';

/** A message as the console shows it: in a person's DM (`@owner-o1`) or a channel (`#payments-weekly`). */
export interface ConsoleMessage {
  id: string;
  channel: string;
  /** The message this one is in the thread of. */
  threadOf?: string;
  text: string;
  markdown?: string;
  answerForm?: OutgoingMessage['answerForm'];
  /**
   * An attached file. Text files keep their content; a binary file (a chart's PNG) is written to a
   * temporary file, since a terminal cannot show it inline: `content` is then empty and `path` says where.
   */
  file?: { filename: string; title: string; content: string; path?: string };
  /** How many times it was updated. */
  edits: number;
}

/**
 * The chat platform of local mode and of the platform-neutral tests: messages live in memory and
 * are shown through `onMessage`. People are their keys in the team definition; a DM channel is
 * `@<person>`.
 */
export class ConsolePlatform implements ChatPlatform {
  readonly name = 'console' as const;
  readonly messages: ConsoleMessage[] = [];
  private nextId = 1;
  /** Where binary files are written, made on the first one. */
  private filesDir: string | undefined;

  constructor(
    private readonly onMessage: (message: ConsoleMessage, event: 'new' | 'updated') => void = () => {},
    /** Prefix of message ids (`m1`, `m2`…); replicas in one test need their own, as Slack's ts are unique. */
    private idPrefix = 'm',
  ) {}

  /** Sets the prefix of message ids (ConsoleSession.useIdPrefix), before any message is sent. */
  useIdPrefix(prefix: string): void {
    if (this.messages.length > 0) throw new Error('console: the id prefix is set before any message is sent');
    this.idPrefix = prefix;
  }

  async sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.add(`@${userId}`, message, undefined, options);
  }

  async postToChannel(channel: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.add(channel, message, undefined, options);
  }

  async replyInThread(parent: MessageRef, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.add(parent.channel, message, parent.messageId, options);
  }

  async updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    const existing = this.messages.find((m) => m.id === ref.messageId);
    if (!existing) throw new Error(`console: no message ${ref.messageId}`);
    Object.assign(existing, { text: message.text, markdown: message.markdown, edits: existing.edits + 1 });
    this.onMessage(existing, 'updated');
  }

  renderReport(report: CompiledReport): OutgoingMessage[] {
    return consoleReportMessages(report);
  }

  replyText(input: WireReply): Converted {
    return consoleModule.replyText(input, {});
  }

  async uploadFile(channel: string, file: UploadedFile, thread?: MessageRef): Promise<MessageRef> {
    if (typeof file.content === 'string') {
      return this.add(channel, { text: `📎 ${file.filename}` }, thread?.messageId, undefined, { ...file, content: file.content });
    }
    this.filesDir ??= mkdtempSync(path.join(tmpdir(), 'weekly-report-'));
    const saved = path.join(this.filesDir, `${this.nextId}-${path.basename(file.filename)}`);
    writeFileSync(saved, file.content);
    return this.add(channel, { text: `📎 ${file.filename}: ${saved}` }, thread?.messageId, undefined, {
      filename: file.filename,
      title: file.title,
      content: '',
      path: saved,
    });
  }

  /** The channel's top-level messages, or a thread's replies. */
  channelMessages(channel: string, threadOf?: string): ConsoleMessage[] {
    return this.messages.filter((m) => m.channel === channel && m.threadOf === threadOf);
  }

  // Idempotency keys are deliberately ignored: the console shows every send, so a duplicate
  // prompt or post is visible (and tests catch it) instead of being hidden here.
  private add(channel: string, message: OutgoingMessage, threadOf?: string, _options?: SendOptions, file?: ConsoleMessage['file']): MessageRef {
    const stored: ConsoleMessage = {
      id: `${this.idPrefix}${this.nextId++}`,
      channel,
      ...(threadOf ? { threadOf } : {}),
      text: message.text,
      ...(message.markdown ? { markdown: message.markdown } : {}),
      ...(message.answerForm ? { answerForm: message.answerForm } : {}),
      ...(file ? { file } : {}),
      edits: 0,
    };
    this.messages.push(stored);
    this.onMessage(stored, 'new');
    return { channel, messageId: stored.id };
  }
}

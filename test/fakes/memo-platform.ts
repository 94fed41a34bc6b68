import { z } from 'zod';
import type { CompiledReport } from '../../src/report/compile.ts';
import type { Converted } from '../../src/report/parse/index.ts';
import type { PlatformModule } from '../../src/platforms/module.ts';
import type { ChatPlatform, MessageRef, OutgoingMessage, UploadedFile, WireReply } from '../../src/platforms/platform.ts';
import type { PlatformRuntime } from '../../src/platforms/runtime.ts';

/**
 * "Memo", a made-up third chat platform, defined entirely in the test folder: people are `mm-…`
 * ids, the report goes to a room, replies arrive as arrays of lines, and a report is posted as
 * one message per section. It proves that a platform is one module: nothing in handlers/ or store/
 * names it.
 */
export interface MemoMessage {
  id: string;
  room: string;
  threadOf?: string;
  text: string;
  file?: { filename: string; content: string };
}

export class MemoPlatform implements ChatPlatform {
  readonly name = 'memo';
  readonly messages: MemoMessage[] = [];
  private next = 1;

  async sendDirect(userId: string, message: OutgoingMessage): Promise<MessageRef> {
    return this.add(`dm:${userId}`, message.text);
  }
  async postToChannel(channel: string, message: OutgoingMessage): Promise<MessageRef> {
    return this.add(channel, message.text);
  }
  async replyInThread(parent: MessageRef, message: OutgoingMessage): Promise<MessageRef> {
    return this.add(parent.channel, message.text, parent.messageId);
  }
  async updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    const found = this.messages.find((m) => m.id === ref.messageId);
    if (!found) throw new Error(`memo: no message ${ref.messageId}`);
    found.text = message.text;
  }
  renderReport(report: CompiledReport): OutgoingMessage[] {
    return memoReportMessages(report);
  }
  async uploadFile(channel: string, file: UploadedFile, thread?: MessageRef): Promise<MessageRef> {
    const content = typeof file.content === 'string' ? file.content : `(${file.content.length} bytes)`;
    return this.add(channel, file.title, thread?.messageId, { filename: file.filename, content });
  }
  replyText(input: WireReply): Converted {
    return memoReplyText(input);
  }

  private add(room: string, text: string, threadOf?: string, file?: MemoMessage['file']): MessageRef {
    const message: MemoMessage = { id: `memo-${this.next++}`, room, text, ...(threadOf ? { threadOf } : {}), ...(file ? { file } : {}) };
    this.messages.push(message);
    return { channel: room, messageId: message.id };
  }
}

function memoReportMessages(report: CompiledReport): OutgoingMessage[] {
  return report.markdown.split(/\n(?=## )/).map((part) => ({ text: part, markdown: part }));
}

function memoReplyText(input: WireReply): Converted {
  if (input.source !== 'memo-lines' || !Array.isArray(input.lines)) return { ok: false, detail: `not a memo: ${input.source}` };
  return { ok: true, text: input.lines.join('\n') };
}

export const memoModule: PlatformModule<{ token: string }> = {
  name: 'memo',
  personId: z.string().regex(/^mm-[a-z0-9-]+$/, 'expected a Memo id like mm-owner'),
  destination: z.object({ room: z.string().min(1) }).strict(),
  userIdOf: (person) => (typeof person.memo === 'string' ? person.memo : undefined),
  reportChannel: (definition) => (definition.post.memo as { room?: string } | undefined)?.room ?? null,
  configFromEnv: (source) => (source.MEMO_TOKEN ? { token: source.MEMO_TOKEN } : null),
  createRuntime: (): PlatformRuntime => {
    const platform = new MemoPlatform();
    return { platform, start: async () => {}, stop: async () => {} };
  },
  replyText: memoReplyText,
  renderReport: memoReportMessages,
  reportPayloads: memoReportMessages,
};

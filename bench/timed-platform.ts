import type { CompiledReport } from '../src/report/compile.ts';
import type { Converted, ReplyTextOptions } from '../src/report/parse/index.ts';
import type { ChatPlatform, MessageRef, OutgoingMessage, SendOptions, WireReply } from '../src/platforms/platform.ts';

/** A ChatPlatform that records how long each sendDirect took; everything else passes through. */
export class TimedPlatform implements ChatPlatform {
  readonly sendMs: number[] = [];
  // The optional methods exist here exactly when the wrapped platform has them: without the DM
  // lookup, a prompt resumed after a failed run would be sent again (as the first scenario 7 run showed).
  readonly findSentDirect?: ChatPlatform['findSentDirect'];
  readonly postImage?: ChatPlatform['postImage'];

  constructor(private readonly inner: ChatPlatform) {
    if (inner.findSentDirect) this.findSentDirect = inner.findSentDirect.bind(inner);
    if (inner.postImage) this.postImage = inner.postImage.bind(inner);
  }

  get name(): ChatPlatform['name'] {
    return this.inner.name;
  }

  async sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    const start = performance.now();
    try {
      return await this.inner.sendDirect(userId, message, options);
    } finally {
      this.sendMs.push(performance.now() - start);
    }
  }

  postToChannel(channel: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.inner.postToChannel(channel, message, options);
  }

  replyInThread(parent: MessageRef, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.inner.replyInThread(parent, message, options);
  }

  updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    return this.inner.updateMessage(ref, message);
  }

  renderReport(report: CompiledReport): OutgoingMessage[] {
    return this.inner.renderReport(report);
  }

  uploadFile(channel: string, file: { filename: string; title: string; content: string }, thread?: MessageRef): Promise<MessageRef> {
    return this.inner.uploadFile(channel, file, thread);
  }

  replyText(input: WireReply, options: ReplyTextOptions): Converted {
    return this.inner.replyText(input, options);
  }
}

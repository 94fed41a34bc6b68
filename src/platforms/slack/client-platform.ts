import type { webApi } from '@slack/bolt';
import type { CompiledReport } from '../../report/compile.ts';
import type { Converted, ReplyTextOptions } from '../../report/parse/index.ts';
import type { AnswerForm, ChatPlatform, MessageRef, OutgoingMessage, SendOptions, UploadedFile, WireReply } from '../platform.ts';
import { answerFormView } from './answer-form.ts';
import { messagePayload } from './message-blocks.ts';
import { slackReportMessages } from './module.ts';
import { slackReplyText } from './parse/reply.ts';

/**
 * The chat platform on Slack's Web API. Sending only: what arrives from Slack is the runtime's
 * job (app.ts). Every call goes through one WebClient, whose queue waits out 429s (Retry-After)
 * and retries per its retryConfig; an error Slack answers (`ok: false`) is thrown to the
 * handler, which logs it with the owner and section and carries on with the others.
 *
 * SendOptions.idempotencyKey is not used: Slack has no idempotent send. The store's prompt
 * reservations and posted-message records are what keep a send from being repeated.
 */
export class SlackPlatform implements ChatPlatform {
  readonly name = 'slack' as const;
  /** DM channel per user: conversations.open is Tier 3, and the answer never changes. */
  private readonly dmChannels = new Map<string, Promise<string>>();

  constructor(readonly client: webApi.WebClient) {}

  async sendDirect(userId: string, message: OutgoingMessage, _options?: SendOptions): Promise<MessageRef> {
    return this.post(await this.dmChannel(userId), message);
  }

  async postToChannel(channel: string, message: OutgoingMessage, _options?: SendOptions): Promise<MessageRef> {
    return this.post(channel, message);
  }

  async replyInThread(parent: MessageRef, message: OutgoingMessage, _options?: SendOptions): Promise<MessageRef> {
    return this.post(parent.channel, message, parent.messageId);
  }

  async updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    const payload = messagePayload(message);
    // An empty list clears blocks the message had before (a report part that is now "—").
    await this.client.chat.update({ channel: ref.channel, ts: ref.messageId, text: payload.text, blocks: payload.blocks ?? [] });
  }

  renderReport(report: CompiledReport): OutgoingMessage[] {
    return slackReportMessages(report);
  }

  replyText(input: WireReply, options: ReplyTextOptions): Converted {
    return slackReplyText(input, options);
  }

  /** Files.uploadV2: getUploadURLExternal, the upload, completeUploadExternal into the channel (thread). */
  async uploadFile(channel: string, file: UploadedFile, thread?: MessageRef): Promise<MessageRef> {
    // filesUploadV2 takes text as `content` and bytes (a PNG) as `file`.
    const body = typeof file.content === 'string' ? { content: file.content } : { file: file.content };
    const upload = { channel_id: channel, filename: file.filename, title: file.title, ...body };
    const result = await this.client.filesUploadV2(thread ? { ...upload, thread_ts: thread.messageId } : upload);
    const completed = (result as { files?: { files?: { id?: string }[] }[] }).files ?? [];
    const fileId = completed.flatMap((c) => c.files ?? []).find((f) => f.id)?.id;
    if (!fileId) throw new Error(`files.completeUploadExternal returned no file id for ${file.filename}`);
    // The share message's ts arrives later (file_shared); the file id is what identifies it.
    return { channel, messageId: fileId };
  }

  /** The modal, remembering the prompt it was opened from so that the confirmation goes to its thread. */
  async openAnswerForm(trigger: string, form: AnswerForm, origin?: MessageRef): Promise<string | undefined> {
    const result = await this.client.views.open({ trigger_id: trigger, view: answerFormView(form, origin) });
    return result.view?.id;
  }

  /** The user's id for an e-mail address (users:read.email), or null. */
  async lookupUserByEmail(email: string): Promise<string | null> {
    try {
      return (await this.client.users.lookupByEmail({ email })).user?.id ?? null;
    } catch (error) {
      if (platformError(error) === 'users_not_found') return null;
      throw error;
    }
  }

  private async post(channel: string, message: OutgoingMessage, threadTs?: string): Promise<MessageRef> {
    const payload = messagePayload(message);
    const result = await this.client.chat.postMessage({
      channel,
      text: payload.text,
      ...(payload.blocks ? { blocks: payload.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      // Reports and prompts quote links; previews would bury the text under cards.
      unfurl_links: false,
      unfurl_media: false,
    });
    if (!result.ts) throw new Error(`chat.postMessage to ${channel} returned no ts`);
    return { channel: result.channel ?? channel, messageId: result.ts };
  }

  private dmChannel(userId: string): Promise<string> {
    let channel = this.dmChannels.get(userId);
    if (!channel) {
      channel = this.client.conversations.open({ users: userId }).then((result) => {
        if (!result.channel?.id) throw new Error(`conversations.open returned no channel for ${userId}`);
        return result.channel.id;
      });
      this.dmChannels.set(userId, channel);
      // A failure is not remembered: the next send tries again.
      channel.catch(() => this.dmChannels.delete(userId));
    }
    return channel;
  }
}

/** The `error` of a Slack platform error (`{ ok: false, error }`), if that is what this is. */
export function platformError(error: unknown): string | undefined {
  const data = (error as { data?: { error?: unknown } } | null)?.data;
  return typeof data?.error === 'string' ? data.error : undefined;
}

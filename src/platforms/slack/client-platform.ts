import type { webApi } from '@slack/bolt';
import type { CompiledReport } from '../../report/compile.ts';
import type { Converted, ReplyTextOptions } from '../../report/parse/index.ts';
import type {
  AnswerForm,
  ChatPlatform,
  MessageRef,
  OutgoingMessage,
  ReportDocuments,
  SendOptions,
  SentDirectLookup,
  UploadedFile,
  WireReply,
} from '../platform.ts';
import { answerFormView } from './answer-form.ts';
import { SlackCanvases } from './canvas.ts';
import { messagePayload } from './message-blocks.ts';
import { platformError } from './platform-error.ts';
import { slackReplyText } from './parse/reply.ts';
import { slackReportMessages } from './render-report.ts';

/**
 * The chat platform on Slack's Web API. Sending only: what arrives from Slack is the runtime's
 * job (app.ts). Every call goes through one WebClient, whose queue waits out 429s (Retry-After)
 * and retries per its retryConfig; an error Slack answers (`ok: false`) is thrown to the
 * handler, which logs it with the owner and section and carries on with the others.
 *
 * Slack has no idempotent send: the store's prompt reservations and posted-message records are
 * what keep a send from being repeated. A direct message sent with SendOptions.idempotencyKey
 * carries the key in its message metadata, so that findSentDirect can tell whether a send whose
 * outcome is unknown (a crash, a failed call) reached the DM.
 */
export class SlackPlatform implements ChatPlatform {
  readonly name = 'slack' as const;
  /** DM channel per user: conversations.open is Tier 3, and the answer never changes. */
  private readonly dmChannels = new Map<string, Promise<string>>();

  /** The week's report as a canvas, for teams with `post.slack.canvas: true` (slackModule.reportDocumentOptions). */
  readonly reportDocuments: ReportDocuments;

  constructor(readonly client: webApi.WebClient) {
    this.reportDocuments = new SlackCanvases(client);
  }

  async sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    const metadata = options?.idempotencyKey ? { event_type: SEND_EVENT_TYPE, event_payload: { idempotency_key: options.idempotencyKey } } : undefined;
    return this.post(await this.dmChannel(userId), message, undefined, metadata);
  }

  /**
   * The bot's own message in the user's DM carrying the lookup's key in its metadata, sent since
   * `since` (conversations.history, newest first, Tier 3; a DM holds a few top-level messages a week).
   */
  async findSentDirect(userId: string, lookup: SentDirectLookup): Promise<MessageRef | null> {
    const channel = await this.dmChannel(userId);
    const oldest = (lookup.since.getTime() / 1000).toFixed(6);
    let cursor: string | undefined;
    for (let page = 0; page < HISTORY_PAGES; page++) {
      const result = await this.client.conversations.history({
        channel,
        oldest,
        limit: HISTORY_PAGE_SIZE,
        include_all_metadata: true,
        ...(cursor ? { cursor } : {}),
      });
      const found = result.messages?.find(
        (m) =>
          m.bot_id !== undefined &&
          m.metadata?.event_type === SEND_EVENT_TYPE &&
          (m.metadata.event_payload as SendMetadata['event_payload'] | undefined)?.idempotency_key === lookup.idempotencyKey,
      );
      if (found?.ts) return { channel, messageId: found.ts };
      cursor = result.response_metadata?.next_cursor;
      if (!result.has_more || !cursor) return null;
    }
    throw new Error(`more than ${HISTORY_PAGES * HISTORY_PAGE_SIZE} messages in ${channel} since ${lookup.since.toISOString()}; not looked further`);
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

  private async post(channel: string, message: OutgoingMessage, threadTs?: string, metadata?: SendMetadata): Promise<MessageRef> {
    const payload = messagePayload(message);
    const result = await this.client.chat.postMessage({
      channel,
      text: payload.text,
      ...(payload.blocks ? { blocks: payload.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...(metadata ? { metadata } : {}),
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

/** The metadata event type of a direct message sent with an idempotency key (see findSentDirect). */
export const SEND_EVENT_TYPE = 'weekly_report_send';
const HISTORY_PAGE_SIZE = 200;
/** A DM gets a handful of top-level messages from the bot a week; this many pages is far past that. */
const HISTORY_PAGES = 5;

interface SendMetadata {
  event_type: string;
  event_payload: { idempotency_key: string };
}

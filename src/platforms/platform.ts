import type { CompiledReport } from '../report/compile.ts';
import type { Locale } from '../report/locale.ts';
import type { GoalStatus } from '../report/goals.ts';
import type { Converted, ReplyInput, ReplyTextOptions } from '../report/parse/index.ts';

/** A platform's name, as its module declares it (`slack`, `feishu`, `console`): see ./modules.ts. */
export type PlatformName = string;

/**
 * The small interface every chat platform implements (Slack, Feishu, the local console). The
 * handlers in handlers/ talk only to this; an adapter turns platform traffic into the events
 * below and renders the messages below in the platform's own way.
 */

/** A message the bot posted: where, and its id on the platform (Slack ts, Feishu message_id). */
export interface MessageRef {
  channel: string;
  messageId: string;
}

/** A button that opens a form prefilled with text: a Slack modal, a Feishu card form. */
export interface AnswerForm {
  teamId: string;
  week: string;
  sectionId: string;
  /** Form title, e.g. the section title. */
  title: string;
  prefill: string;
  /** The team's language, for the words the platform adds itself (button, submit, cancel). */
  locale: Locale;
}

export interface OutgoingMessage {
  /** Plain text; always present (notifications, fallbacks, the console). */
  text: string;
  /**
   * Markdown for platforms that render it. Either the whole message (a report part, whose `text`
   * is then only the notification fallback), or a part that `text` quotes verbatim (the preview
   * inside a confirmation), which the platform renders as Markdown within the message.
   */
  markdown?: string;
  /** Offer to answer in a form, prefilled (the prompt's "open form" button). */
  answerForm?: AnswerForm;
  /** The team's language, for any words the platform adds itself. */
  locale?: Locale;
  /**
   * Buttons that run a `/weekly-report` command for whoever presses them (e.g. "publish anyway" →
   * `publish confirm`). Platforms without buttons show the command to type.
   */
  commands?: CommandButton[];
  /**
   * Last week's goals as a checklist (the prompt of the section that reviews them). `text` carries
   * it as numbered lines (`goalReview.text`, verbatim); platforms with menus show a choice per goal there instead.
   */
  goalReview?: GoalChecklist;
}

/** Last week's goals to mark done, in progress or dropped; each choice comes back as an IncomingReply's `goalReview`. */
export interface GoalChecklist {
  teamId: string;
  /** The week whose prompt this is. */
  week: string;
  /** The goals section. */
  sectionId: string;
  /** The checklist exactly as `text` quotes it: title, numbered lines, hint. */
  text: string;
  title: string;
  /** One per goal: its number, its text (one line) and its state so far. */
  items: { goal: number; text: string; status?: GoalStatus }[];
  /** The choices, in the team's language. */
  statuses: { value: GoalStatus; label: string }[];
  /** What the menu says before a choice. */
  placeholder: string;
  /** How to mark a goal by typing, with a note. */
  hint: string;
}

/** A goal marked from a checklist's menu. */
export interface GoalChoice {
  teamId: string;
  week: string;
  sectionId: string;
  goal: number;
  status: GoalStatus;
}

export interface CommandButton {
  label: string;
  /** The text after `/weekly-report`. */
  command: string;
}

export interface SendOptions {
  /**
   * Stable key of this send (e.g. prompt:payments-weekly:2024-W23:o1:owner-o1). Platforms that
   * deduplicate sends (Feishu's `uuid`) use it, so a retried send is not delivered twice.
   */
  idempotencyKey?: string;
}

/** A file the bot attaches: text (the report's `.md`, UTF-8) or bytes (a chart's PNG). */
export interface UploadedFile {
  filename: string;
  title: string;
  content: string | Buffer;
}

/** A picture for people to look at in the chat (a chart), as PNG bytes. */
export interface ChatImage {
  filename: string;
  /** Shown with the picture, and what a screen reader reads. */
  title: string;
  png: Buffer;
}

/**
 * The week's report as one document where the team keeps documents: a Slack canvas tabbed in the
 * report channel, a Feishu docx in a folder or wiki space. Created once per week, then its whole
 * content replaced in place (same id, same link) on every publication: a republish, a late answer.
 * Opt-in per team (`post.<platform>` of the team definition: PlatformModule.reportDocumentOptions).
 */
export interface ReportDocuments {
  /** What people call it, in messages to the leads: "canvas", "飞书文档". */
  readonly label: string;
  /** Creates the week's document, titled with the report's title; empty until `replace`. */
  create(request: ReportDocumentRequest): Promise<ReportDocumentRef>;
  /** Replaces everything in the document with the report (and its charts, where it can show them). */
  replace(ref: ReportDocumentRef, content: ReportDocumentContent): Promise<void>;
}

export interface ReportDocumentRequest {
  teamId: string;
  week: string;
  title: string;
  /** The channel or chat the report is posted to on this platform. */
  channel: string;
  /** The team's options for it, as PlatformModule.reportDocumentOptions read them (`{ folder }`, `{ canvas: true }`). */
  options: object;
}

/** A document created for a week: the platform's id and the link people open. */
export interface ReportDocumentRef {
  id: string;
  url: string;
}

export interface ReportDocumentContent {
  report: CompiledReport;
  /** The week's charts, as the digest shows them (none when the team has no metrics trend). */
  charts: readonly ChatImage[];
}

export interface ChatPlatform {
  readonly name: PlatformName;
  /** Direct message to a user; returns where it landed (the DM channel). */
  sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef>;
  /** A message in a channel or group chat. */
  postToChannel(channel: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef>;
  /** A reply in the thread of a message (where the platform has no threads: a quoted reply). */
  replyInThread(parent: MessageRef, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef>;
  updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void>;
  /** The compiled report cut into messages that fit this platform's limits. */
  renderReport(report: CompiledReport): OutgoingMessage[];
  /** Uploads a file into a channel (in a thread when given). */
  uploadFile(channel: string, file: UploadedFile, thread?: MessageRef): Promise<MessageRef>;
  /**
   * Shows a picture in a channel (in a thread when given) where the platform can show it inside a
   * message (Feishu: an image in a card). Optional: a platform without it gets the PNG as a file
   * (Slack shows an uploaded PNG inline).
   */
  postImage?(channel: string, image: ChatImage, thread?: MessageRef, options?: SendOptions): Promise<MessageRef>;
  /** A reply in this platform's wire format (Slack rich_text, a Feishu post…) as the text the parser reads. */
  replyText(input: WireReply, options: ReplyTextOptions): Converted;
  /**
   * Looks in the user's DM for a message this bot sent with `sendDirect` and the lookup's
   * idempotency key, for a send whose outcome is unknown (the process crashed, or the call failed
   * after the platform may have delivered it): found, it is recorded instead of sent again. Null
   * when it is not there. Platforms without it get the message sent again.
   */
  findSentDirect?(userId: string, lookup: SentDirectLookup): Promise<MessageRef | null>;
  /** The week's report as a document on this platform (a canvas, a docx); absent where there is none. */
  readonly reportDocuments?: ReportDocuments;
}

/** A direct message that may have been sent, as `findSentDirect` looks for it. */
export interface SentDirectLookup {
  /** The SendOptions.idempotencyKey it was (or would have been) sent with. */
  idempotencyKey: string;
  /** The message as it was sent. */
  message: OutgoingMessage;
  /** It was not sent before this (its reservation, less a margin for clocks that disagree). */
  since: Date;
  /** The DM's channel, when the bot knows it from another message to the user. */
  channel?: string;
}

/**
 * A reply's content as it arrived, in its platform's own format, e.g. `{ source: 'slack-rich-text',
 * blocks }`. Only the platform that produced it reads it (ChatPlatform.replyText); it stays plain
 * data, so that it can be stored and replayed.
 */
export interface WireReply {
  source: string;
  [field: string]: unknown;
}

/** Who sent an event, as the platform identifies them. */
export interface Sender {
  platform: PlatformName;
  userId: string;
}

/** A reply (direct message, thread reply, form submission, or an edit of one) from a person. */
export interface IncomingReply {
  sender: Sender;
  /** The platform's id of this delivery: a retry of the same event carries the same id. */
  eventId: string;
  /** Where it was typed: the DM channel or chat. */
  channel: string;
  /** The message itself (absent for form submissions). */
  messageId?: string;
  /** The message it replies to, when typed in a thread / as a reply to the bot's prompt. */
  replyTo?: string;
  /** For a form submission: the section the form was for. */
  form?: { teamId: string; week: string; sectionId: string };
  /** True when this is an edit of an earlier message (`messageId` is the edited message). */
  edited?: boolean;
  /** True when the person deleted (recalled) an earlier message (`messageId`); its part leaves the answer. */
  deleted?: boolean;
  /** Plain text (console, forms), or the platform's payload for it to convert. */
  input: ReplyInput | WireReply;
  rawText: string;
  rawPayload?: unknown;
  /** When the bot received it, for a reply processed later than that (kept while the store was down). */
  receivedAt?: Date;
  /** Processed later than it arrived: the owner's confirmation says so. */
  delayed?: boolean;
  /** A goal marked in a prompt's checklist (a menu, not typed text). */
  goalReview?: GoalChoice;
}

/** A `/weekly-report …` command from a person. */
export interface IncomingCommand {
  sender: Sender;
  /** The text after `/weekly-report`, e.g. `week 2024-W22`. */
  text: string;
  /** Where it was typed. */
  channel: string;
}

export type Visibility = 'caller' | 'channel';

/**
 * Answers a command. `caller` messages are visible only to the one who ran it (Slack ephemeral /
 * `response_url`, Feishu: a direct message).
 */
export type Respond = (message: OutgoingMessage, visibility?: Visibility) => Promise<void>;

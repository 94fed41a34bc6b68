import type { HttpRoute } from '../http/server.ts';
import type { AnswerForm, ChatPlatform, IncomingCommand, IncomingReply, OutgoingMessage, PlatformName, Respond, Sender } from './platform.ts';

/** What the form button of a prompt opens: the form, or what to tell the person instead. */
export type FormOpening = { form: AnswerForm } | { refusal: OutgoingMessage };

/**
 * What an adapter calls when traffic arrives; built once from the shared handlers
 * (src/app.ts). Adapters verify and acknowledge the platform's request first, then
 * call these through the inbound pipeline (./inbound.ts).
 */
export interface InboundHandlers {
  onReply(reply: IncomingReply): Promise<void>;
  onCommand(command: IncomingCommand, respond: Respond): Promise<void>;
  /**
   * The command's answer when it is already in memory (a `status` asked a moment ago), for an
   * adapter that can send it with the acknowledgement; null when the command must be run. Never
   * reads the store: it is called before the platform is answered.
   */
  answerAtOnce?(command: IncomingCommand): OutgoingMessage | null;
  /** The prefilled form for a prompt's "write" button, or what to say when the person may not open it. */
  openForm(sender: Sender, ref: { teamId: string; week: string; sectionId: string }): Promise<FormOpening>;
  /** What is wrong with a form's text (for a form that can show it in place), or null. */
  checkForm(sender: Sender, ref: { teamId: string; sectionId: string }, text: string): string | null;
  /** True the first time an event id is seen: platforms deliver at least once. */
  firstDelivery(platform: PlatformName, eventId: string): Promise<boolean>;
  /** True when work failed only because the store was unreachable: its delivery is kept and processed again. */
  retryLater?(error: unknown): boolean;
  /**
   * While the bot is starting (its store not connected yet), what to tell someone at once who asked
   * for what cannot wait for the store: a form to open (its trigger expires within seconds), a
   * command to answer in its acknowledgement. Null once the store is there. Never reads the store.
   */
  notYet?(sender: Sender): OutgoingMessage | null;
}

/** One piece of inbound traffic, as the log and the dedupe know it. */
export interface InboundEvent {
  platform: PlatformName;
  /** The platform's id of the delivery: a retry carries the same id. */
  eventId: string;
  /** Who sent it, for the log. */
  userId?: string;
  /** What it is: `reply`, `command`, `form`… (for the log). */
  kind: string;
  /**
   * Run the work only the first time this event id is seen. For work the store does not already
   * de-duplicate, such as commands (a redelivered `publish` must not run twice).
   */
  dedupe?: boolean;
}

/** What a runtime's start() is given: the one inbound path every adapter uses (Inbound, ./inbound.ts). */
export interface InboundPipeline {
  readonly handlers: InboundHandlers;
  /** Spools a verified payload (when there is an intake), then runs `process`; rejects when it could not be spooled. */
  accept<T>(platform: PlatformName, payload: unknown, process: () => Promise<T>): Promise<T>;
  /** Registers how the adapter processes a spooled payload again, and replays its pending ones (start-up). */
  replayFrom(platform: PlatformName, redeliver: (payload: unknown) => Promise<unknown>): Promise<void>;
  /** Queues the work for an event; settles when it is done, and never rejects. */
  dispatch(event: InboundEvent, work: (handlers: InboundHandlers) => Promise<unknown>): Promise<void>;
  /** Resolves once nothing is queued or running. */
  idle(): Promise<void>;
}

/** A running chat platform: the outbound interface plus its inbound transport. */
export interface PlatformRuntime {
  platform: ChatPlatform;
  /** Starts receiving; every event goes through `inbound`. */
  start(inbound: InboundPipeline): Promise<void>;
  /** Stops receiving and waits for what it received to be handled. */
  stop(): Promise<void>;
  /**
   * What it receives over HTTP (Slack's events, Feishu's webhook), as routes of the bot's one server
   * (src/http/server.ts), which the composition root starts before the runtime: they answer 503
   * until start() is done, and the platform delivers again. None (or absent) when the platform
   * reaches the bot over a connection of its own (Socket Mode, Feishu's long connection).
   */
  routes?(): HttpRoute[];
  /**
   * Whether the platform's API answers with the configured credentials, in one cheap call and
   * without retries: true, or false (or a rejection, whose reason is logged) when it does not.
   * Callers cache the answer (src/health/), so that a health probe never becomes traffic to the
   * platform. Absent: the platform has nothing to check.
   */
  health?(): Promise<boolean>;
}

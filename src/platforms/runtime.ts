import type { AnswerForm, ChatPlatform, IncomingCommand, IncomingReply, Respond, Sender } from './platform.ts';
import type { PlatformName } from '../store/store.ts';

/**
 * What an adapter calls when traffic arrives; built once from the shared handlers (src/app.ts).
 * Adapters verify and acknowledge the platform's request first, then call these.
 */
export interface InboundHandlers {
  onReply(reply: IncomingReply): Promise<void>;
  onCommand(command: IncomingCommand, respond: Respond): Promise<void>;
  /** The prefilled form for a prompt's "write" button; null when the person does not own the section. */
  formFor(sender: Sender, ref: { reportId: string; week: string; sectionId: string }): Promise<AnswerForm | null>;
  /** What is wrong with a form's text (for a form that can show it in place), or null. */
  checkForm(sender: Sender, ref: { reportId: string; sectionId: string }, text: string): string | null;
  /** True the first time an event id is seen: platforms deliver at least once. */
  firstDelivery(platform: PlatformName, eventId: string): Promise<boolean>;
}

/** A running chat platform: the outbound interface plus its inbound transport. */
export interface PlatformRuntime {
  platform: ChatPlatform;
  start(handlers: InboundHandlers): Promise<void>;
  stop(): Promise<void>;
}

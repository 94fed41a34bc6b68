import type { IncomingReply, OutgoingMessage } from '../../src/platforms/platform.ts';
import { platformOf, type BotContext } from '../../src/bot/context.ts';

/**
 * Answers where the person wrote: in the thread they replied in, in the DM for a form, or in the
 * chat. What was stored stays stored when this fails; only the answer is lost, and it is logged.
 */
export async function answerSender(ctx: BotContext, reply: IncomingReply, message: OutgoingMessage): Promise<void> {
  const platform = platformOf(ctx, reply.sender.platform);
  try {
    if (reply.replyTo) await platform.replyInThread({ channel: reply.channel, messageId: reply.replyTo }, message);
    else if (reply.form) await platform.sendDirect(reply.sender.userId, message);
    else await platform.postToChannel(reply.channel, message);
  } catch (error) {
    ctx.logger.error({ err: error, platform: reply.sender.platform, user: reply.sender.userId }, 'could not answer a reply');
  }
}

/**
 * A refusal stores nothing, so a platform's repeated delivery of the same event would refuse
 * twice: the event id is remembered first. (Stored replies are de-duplicated by the store itself,
 * so that a crash between remembering and storing can never lose one.)
 */
export async function refuseSender(ctx: BotContext, reply: IncomingReply, message: OutgoingMessage): Promise<void> {
  if (!(await ctx.store.markEventSeen(reply.sender.platform, `refused:${reply.eventId}`, ctx.clock.now()))) return;
  await answerSender(ctx, reply, message);
}

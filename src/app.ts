import type { BotContext } from './bot/context.ts';
import { answerInMemory, handleCommand } from '../handlers/inbound/command.ts';
import { answerFormFor, checkFormAnswer } from '../handlers/inbound/form.ts';
import { handleReply } from '../handlers/inbound/reply.ts';
import type { InboundHandlers } from './platforms/runtime.ts';
import { isStoreUnavailable } from './store/index.ts';

/**
 * Binds the shared handlers to one bot context, for every platform adapter to call: the one place
 * below the composition roots where src/ meets handlers/.
 */
export function inboundHandlers(ctx: BotContext, holder: string): InboundHandlers {
  return {
    onReply: (reply) => handleReply(ctx, reply, holder),
    onCommand: (command, respond) => handleCommand(ctx, command, respond, holder),
    answerAtOnce: (command) => answerInMemory(ctx, command),
    openForm: (sender, ref) => answerFormFor(ctx, sender, ref),
    checkForm: (sender, ref, text) => checkFormAnswer(ctx, sender, ref, text),
    firstDelivery: (platform, eventId) => ctx.store.markEventSeen(platform, eventId, ctx.clock.now()),
    retryLater: isStoreUnavailable,
  };
}

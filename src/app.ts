import type { BotContext } from './bot/context.ts';
import { answerInMemory, handleCommand } from '../handlers/inbound/command.ts';
import { answerFormFor, checkFormAnswer } from '../handlers/inbound/form.ts';
import { messagesFor } from '../handlers/texts/messages.ts';
import { membershipsOf } from '../handlers/owners/people.ts';
import { handleReply } from '../handlers/inbound/reply.ts';
import type { InboundHandlers } from './platforms/runtime.ts';
import { isStoreUnavailable } from './store/index.ts';

export interface InboundHandlerOptions {
  /** True while the store has not connected yet (start-up): what must answer at once says "try again". */
  starting?: () => boolean;
}

/**
 * Binds the shared handlers to one bot context, for every platform adapter to call: the one place
 * below the composition roots where src/ meets handlers/.
 */
export function inboundHandlers(ctx: BotContext, holder: string, options: InboundHandlerOptions = {}): InboundHandlers {
  const starting = options.starting ?? (() => false);
  return {
    onReply: (reply) => handleReply(ctx, reply, holder),
    onCommand: (command, respond) => handleCommand(ctx, command, respond, holder),
    answerAtOnce: (command) => answerInMemory(ctx, command),
    openForm: (sender, ref) => answerFormFor(ctx, sender, ref),
    checkForm: (sender, ref, text) => checkFormAnswer(ctx, sender, ref, text),
    firstDelivery: (platform, eventId) => ctx.store.markEventSeen(platform, eventId, ctx.clock.now()),
    retryLater: isStoreUnavailable,
    notYet: (sender) => {
      if (!starting()) return null;
      const locale = membershipsOf(ctx, sender)[0]?.team.definition.locale ?? ctx.teams[0]?.definition.locale ?? 'zh-CN';
      return { text: messagesFor(locale).starting, locale };
    },
  };
}

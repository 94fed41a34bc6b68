import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import { platformOf, type BotContext } from '../../src/bot/context.ts';
import { messagesFor } from '../texts/messages.ts';
import { displayName, reachOf } from '../owners/people.ts';
import { publishWeek } from '../cycle/publish.ts';

/**
 * How long a late answer's update of the posted report waits for the late answers that came with
 * it (on this replica or another): answers stored within it are posted by one update, one new file.
 */
export const LATE_ANSWERS_GATHER_MS = 2_000;

/**
 * An answer that arrived after the week's report was posted: the posted report (messages, thread
 * and file) is updated in place, marked as updated after publishing, unless the team's definition
 * says `lateAnswers: notify-lead`; either way each lead gets one direct message saying whose
 * section changed.
 *
 * The answer is stored already. The update waits LATE_ANSWERS_GATHER_MS first, so that answers
 * arriving together are all in the report it compiles: each of their updates then compiles the
 * same content, which the publication claim posts once (the others find it busy or unchanged).
 * Without the wait, the first would post the report with its answer alone and the second post it
 * again right after, each card updated twice and a second file attached.
 */
export async function answerLate(ctx: BotContext, team: Team, section: SectionDefinition, owner: string, week: string, holder: string): Promise<void> {
  const { definition } = team;
  const update = definition.lateAnswers === 'update';
  if (update) {
    await ctx.clock.sleep?.(LATE_ANSWERS_GATHER_MS);
    await publishWeek(ctx, team, week, holder);
  }
  const text = messagesFor(definition.locale);
  for (const lead of definition.leads) {
    const reach = reachOf(ctx, definition, lead);
    if (!reach) continue;
    try {
      await platformOf(ctx, reach.platform).sendDirect(reach.userId, {
        text: text.leadLateAnswer(displayName(definition, owner), section.title, week, update),
        locale: definition.locale,
      });
    } catch (error) {
      ctx.logger.error({ err: error, team: definition.id, week, lead }, 'could not tell a lead about a late answer');
    }
  }
}

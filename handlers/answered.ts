import type { BotContext } from '../src/bot/context.ts';

/** Who has answered what in a week, as a set to ask `has(answerKey(section, owner))`. */
export function answerKey(sectionId: string, owner: string): string {
  return `${sectionId}\u0000${owner}`;
}

export async function answeredInWeek(ctx: BotContext, teamId: string, week: string): Promise<Set<string>> {
  return new Set((await ctx.store.latestSubmissions(teamId, week)).map((s) => answerKey(s.sectionId, s.owner)));
}

import type { BotContext } from './context.ts';

/** Who has answered what in a week, as a set to ask `has(answerKey(section, owner))`. */
export function answerKey(sectionId: string, owner: string): string {
  return `${sectionId}\u0000${owner}`;
}

export async function answeredInWeek(ctx: BotContext, reportId: string, week: string): Promise<Set<string>> {
  return new Set((await ctx.store.latestSubmissions(reportId, week)).map((s) => answerKey(s.sectionId, s.owner)));
}

import type { BotContext } from '../src/bot/context.ts';
import type { Team } from '../src/report/definition.ts';
import type { ReadOptions } from '../src/store/store.ts';

/**
 * The team as it is in one week: a section handed to someone else (`/weekly-report delegate`) has
 * that person as its owner, so they are prompted and reminded, may answer, and the report and
 * status count their answer. Other weeks are untouched. `read` lets a caching store answer from
 * memory (`status`, a first look before a refusal); without it, the delegations are read as stored.
 */
export async function teamInWeek(ctx: BotContext, team: Team, week: string, read?: ReadOptions): Promise<Team> {
  const delegations = await ctx.store.listDelegations(team.definition.id, week, read);
  if (delegations.length === 0) return team;
  // Oldest first: a later delegation of the same section wins.
  const owner = new Map(delegations.map((d) => [d.sectionId, d.person]));
  const sections = team.definition.sections.map((s) => (owner.has(s.id) ? { ...s, owners: [owner.get(s.id)!] } : s));
  return { ...team, definition: { ...team.definition, sections } };
}

import type { SectionDefinition, TeamDefinition, Team } from '../../src/report/definition.ts';
import type { SectionInWeek } from '../../src/report/section-answers.ts';
import type { PlatformModule } from '../../src/platforms/module.ts';
import type { PlatformName, Sender } from '../../src/platforms/platform.ts';
import { runningPlatforms, type BotContext } from '../../src/bot/context.ts';
import { CACHED, type ReadOptions } from '../../src/store/store.ts';

/** platform → user id → person key, built once per definition: every event and command asks. */
const personIndexes = new WeakMap<readonly PlatformModule[], WeakMap<TeamDefinition, Map<PlatformName, Map<string, string>>>>();

function personIndex(ctx: BotContext, definition: TeamDefinition): Map<PlatformName, Map<string, string>> {
  let byDefinition = personIndexes.get(ctx.modules);
  if (!byDefinition) personIndexes.set(ctx.modules, (byDefinition = new WeakMap()));
  let index = byDefinition.get(definition);
  if (!index) {
    index = new Map(ctx.modules.map((module) => [module.name, new Map<string, string>()]));
    for (const [key, person] of Object.entries(definition.people)) {
      for (const module of ctx.modules) {
        const userId = module.userIdOf(person, key);
        if (userId && !index.get(module.name)!.has(userId)) index.get(module.name)!.set(userId, key);
      }
    }
    byDefinition.set(definition, index);
  }
  return index;
}

/** The person (key of `people`) a platform user is in a team, or null. */
export function personKeyOf(ctx: BotContext, definition: TeamDefinition, sender: Sender): string | null {
  return personIndex(ctx, definition).get(sender.platform)?.get(sender.userId) ?? null;
}

export function displayName(definition: TeamDefinition, key: string): string {
  return definition.people[key]?.name ?? key;
}

/** Where to reach a person: the first running platform (in the modules' order of preference) on which they have an id. */
export function reachOf(ctx: BotContext, definition: TeamDefinition, key: string): { platform: PlatformName; userId: string } | null {
  const person = definition.people[key];
  if (!person) return null;
  for (const { module } of runningPlatforms(ctx)) {
    const userId = module.userIdOf(person, key);
    if (userId) return { platform: module.name, userId };
  }
  return null;
}

/** A team the sender is in, and who they are there. */
export interface Membership {
  team: Team;
  person: string;
}

/** The teams in which the sender is somebody, with their key. */
export function membershipsOf(ctx: BotContext, sender: Sender): Membership[] {
  return ctx.teams.flatMap((team) => {
    const person = personKeyOf(ctx, team.definition, sender);
    return person ? [{ team, person }] : [];
  });
}

/** Display names by platform user id, so that a mention typed in a reply reads as a name in the report. */
export function peopleNames(ctx: BotContext, definition: TeamDefinition, platform: PlatformName): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [userId, key] of personIndex(ctx, definition).get(platform) ?? []) {
    const name = definition.people[key]?.name;
    if (name) names[userId] = name;
  }
  return names;
}

/**
 * The section a sender owns in a team's week, with their key; null when they do not own it (or it
 * is gone). A section handed to them for that week (`delegate`) is theirs that week.
 */
export async function ownedSection(
  ctx: BotContext,
  sender: Sender,
  ref: { teamId: string; week: string; sectionId: string },
): Promise<{ team: Team; section: SectionDefinition; owner: string } | null> {
  const team = ctx.teams.find((t) => t.definition.id === ref.teamId);
  if (!team) return null;
  const owner = personKeyOf(ctx, team.definition, sender);
  if (!owner) return null;
  const ownerIn = async (read?: ReadOptions) =>
    (await teamInWeek(ctx, team, ref.week, read)).definition.sections.find((s) => s.id === ref.sectionId && s.owners.includes(owner));
  // Delegations from the store's cache first; a refusal is only ever made on what the store says now.
  const section = (await ownerIn(CACHED)) ?? (await ownerIn());
  return section ? { team, section, owner } : null;
}

/**
 * The team as it is in one week: a section handed to someone else (`/weekly-report delegate`) has
 * that person as its only owner, so they are prompted and reminded, are the only one who may
 * answer, and the report and status count their answer; its usual owners are kept as
 * `usualOwners` (SectionInWeek), for the order its answers print in. Other weeks are untouched.
 * `read` lets a caching store answer from memory (`status`, a first look before a refusal);
 * without it, the delegations are read as stored.
 */
export async function teamInWeek(ctx: Pick<BotContext, 'store'>, team: Team, week: string, read?: ReadOptions): Promise<Team> {
  const delegations = await ctx.store.listDelegations(team.definition.id, week, read);
  if (delegations.length === 0) return team;
  // Oldest first: a later delegation of the same section wins.
  const owner = new Map(delegations.map((d) => [d.sectionId, d.person]));
  const sections = team.definition.sections.map((s): SectionInWeek => (owner.has(s.id) ? { ...s, owners: [owner.get(s.id)!], usualOwners: s.owners } : s));
  return { ...team, definition: { ...team.definition, sections } };
}

/** One section as it is in a week (teamInWeek), or null when the team has no such section. */
export async function sectionInWeek(ctx: BotContext, team: Team, week: string, sectionId: string, read?: ReadOptions): Promise<SectionInWeek | null> {
  return (await teamInWeek(ctx, team, week, read)).definition.sections.find((s) => s.id === sectionId) ?? null;
}

/** Why a person may not write a section in a week: it is handed from them to `handedTo`, or it is only its `section.owners`'. */
export interface NotTheirs {
  section: SectionInWeek;
  /** Whom the section is handed to, when it is one of the person's own sections (they are one of its usual owners). */
  handedTo: string | null;
}

/**
 * One section, one owner at a time: why `person` may not write the section in the week, or null
 * when they may (they are its owner that week, or it is handed to them). Looked up in the store's
 * cache first, and, for a refusal, in the store as it is now.
 */
export async function notTheirs(ctx: BotContext, team: Team, week: string, sectionId: string, person: string): Promise<NotTheirs | null> {
  const refused = async (read?: ReadOptions) => {
    const section = await sectionInWeek(ctx, team, week, sectionId, read);
    return section && !section.owners.includes(person) ? section : null;
  };
  const section = (await refused(CACHED)) && (await refused());
  if (!section) return null;
  return { section, handedTo: section.usualOwners?.includes(person) ? (section.owners[0] ?? null) : null };
}

/** Who has answered what in a week, as a set to ask `has(answerKey(section, owner))`. */
export function answerKey(sectionId: string, owner: string): string {
  return `${sectionId}\u0000${owner}`;
}

export async function answeredInWeek(ctx: BotContext, teamId: string, week: string): Promise<Set<string>> {
  return new Set((await ctx.store.latestSubmissions(teamId, week)).map((s) => answerKey(s.sectionId, s.owner)));
}

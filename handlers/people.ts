import type { Person, SectionDefinition, TeamDefinition, TeamReport } from '../src/report/definition.ts';
import type { PlatformName } from '../src/store/store.ts';
import type { Sender } from '../src/platforms/platform.ts';
import type { BotContext } from './context.ts';

/** How a person is addressed on a platform. On the console, people are their keys in the definition. */
export function userIdOn(person: Person, key: string, platform: PlatformName): string | undefined {
  switch (platform) {
    case 'slack':
      return person.slack;
    case 'feishu':
      return person.feishu;
    case 'console':
      return key;
  }
}

const PLATFORMS: PlatformName[] = ['slack', 'feishu', 'console'];
/** platform → user id → person key, built once per definition: every event and command asks. */
const personIndexes = new WeakMap<TeamDefinition, Map<PlatformName, Map<string, string>>>();

function personIndex(definition: TeamDefinition): Map<PlatformName, Map<string, string>> {
  let index = personIndexes.get(definition);
  if (!index) {
    index = new Map(PLATFORMS.map((platform) => [platform, new Map<string, string>()]));
    for (const [key, person] of Object.entries(definition.people)) {
      for (const platform of PLATFORMS) {
        const userId = userIdOn(person, key, platform);
        if (userId && !index.get(platform)!.has(userId)) index.get(platform)!.set(userId, key);
      }
    }
    personIndexes.set(definition, index);
  }
  return index;
}

/** The person (key of `people`) a platform user is in a team, or null. */
export function personKeyOf(definition: TeamDefinition, sender: Sender): string | null {
  return personIndex(definition).get(sender.platform)?.get(sender.userId) ?? null;
}

export function displayName(definition: TeamDefinition, key: string): string {
  return definition.people[key]?.name ?? key;
}

/** The platforms a team's people are reached on, in order of preference, among those running. */
const PLATFORM_PREFERENCE: PlatformName[] = ['slack', 'feishu', 'console'];

/** Where to reach a person: the first running platform on which they have an id. */
export function reachOf(ctx: BotContext, definition: TeamDefinition, key: string): { platform: PlatformName; userId: string } | null {
  const person = definition.people[key];
  if (!person) return null;
  for (const platform of PLATFORM_PREFERENCE) {
    if (!ctx.platforms[platform]) continue;
    const userId = userIdOn(person, key, platform);
    if (userId) return { platform, userId };
  }
  return null;
}

/** The teams in which the sender is somebody, with their key. */
export function membershipsOf(ctx: BotContext, sender: Sender): { team: TeamReport; person: string }[] {
  return ctx.teams.flatMap((team) => {
    const person = personKeyOf(team.definition, sender);
    return person ? [{ team, person }] : [];
  });
}

/** Display names by platform user id, so that a mention typed in a reply reads as a name in the report. */
export function peopleNames(definition: TeamDefinition, platform: PlatformName): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [userId, key] of personIndex(definition).get(platform) ?? []) {
    const name = definition.people[key]?.name;
    if (name) names[userId] = name;
  }
  return names;
}

/** The section a sender owns in a report, with their key; null when they do not own it (or it is gone). */
export function ownedSection(
  ctx: BotContext,
  sender: Sender,
  ref: { reportId: string; sectionId: string },
): { team: TeamReport; section: SectionDefinition; owner: string } | null {
  const team = ctx.teams.find((t) => t.definition.id === ref.reportId);
  const section = team?.definition.sections.find((s) => s.id === ref.sectionId);
  const owner = team && personKeyOf(team.definition, sender);
  if (!team || !section || !owner || !section.owners.includes(owner)) return null;
  return { team, section, owner };
}

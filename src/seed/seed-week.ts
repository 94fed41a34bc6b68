import type { BotContext } from '../bot/context.ts';
import { handleReply } from '../../handlers/inbound/reply.ts';
import type { Team } from '../report/definition.ts';
import type { PlatformName } from '../platforms/platform.ts';
import type { Cycle } from '../store/store.ts';
import { projectPath } from '../config/project-root.ts';
import { readRepliesDir } from './replies-dir.ts';

/** The reference week's replies, as its owners typed them. */
export const REFERENCE_REPLIES_DIR = projectPath('seeds', '2024-W23');

/** A week the seed left as it was, and why: it is published, or it is not the seed's (Cycle.seeded). */
export interface UnchangedWeek {
  week: string;
  reason: 'published' | 'not-seeded';
}

/**
 * Whether the seed may write into a week it has just opened with `openCycle(…, { seeded: true })`:
 * only into a week the seed itself created, and never once it is published (by the seed's history,
 * or by a lead who published the seeded week). Returns why not, or null.
 */
export function unchangedBySeed(cycle: Cycle): UnchangedWeek | null {
  if (cycle.status === 'published') return { week: cycle.week, reason: 'published' };
  if (!cycle.seeded) return { week: cycle.week, reason: 'not-seeded' };
  return null;
}

/**
 * Opens a week and answers it with the replies in a folder, each as its owner through the normal
 * reply path (parsed, stored, confirmed), so a newcomer sees a full cycle at once. A week that is
 * published, or that the seed did not open itself, is left as it is. Running it again stores
 * nothing new (the replies' event ids are the same). Returns how many replies it gave.
 */
export async function seedWeek(
  ctx: BotContext,
  team: Team,
  week: string,
  platform: PlatformName,
  dir = REFERENCE_REPLIES_DIR,
): Promise<{ week: string; replies: number } | UnchangedWeek> {
  const leave = unchangedBySeed(await ctx.store.openCycle(team.definition.id, week, ctx.clock.now(), { seeded: true }));
  if (leave) return leave;
  const { replies } = await readRepliesDir(dir, team.definition);
  const module = ctx.modules.find((m) => m.name === platform);
  let given = 0;
  for (const reply of replies) {
    const person = team.definition.people[reply.owner];
    const userId = person && module?.userIdOf(person, reply.owner);
    if (!userId) continue;
    await handleReply(ctx, {
      sender: { platform, userId },
      eventId: `seed:${team.definition.id}:${week}:${reply.sectionId}:${reply.owner}`,
      channel: `@${userId}`,
      form: { teamId: team.definition.id, week, sectionId: reply.sectionId },
      input: { source: 'text', text: reply.text },
      rawText: reply.text,
    });
    given += 1;
  }
  return { week, replies: given };
}

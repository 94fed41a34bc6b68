import type { BotContext } from '../bot/context.ts';
import { openWeek } from '../../handlers/cycle/prompt.ts';
import { handleReply } from '../../handlers/inbound/reply.ts';
import type { Team } from '../report/definition.ts';
import type { PlatformName } from '../platforms/platform.ts';
import { projectPath } from '../config/project-root.ts';
import { readRepliesDir } from './replies-dir.ts';

/** The reference week's replies, as its owners typed them. */
export const REFERENCE_REPLIES_DIR = projectPath('seeds', '2024-W23');

/**
 * Opens a week and answers it with the replies in a folder, each as its owner through the normal
 * reply path (parsed, stored, confirmed), so a newcomer sees a full cycle at once.
 */
export async function seedWeek(ctx: BotContext, team: Team, week: string, platform: PlatformName, dir = REFERENCE_REPLIES_DIR): Promise<number> {
  await openWeek(ctx, team, week);
  const { replies } = await readRepliesDir(dir, team.definition);
  const module = ctx.modules.find((m) => m.name === platform);
  let stored = 0;
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
    stored += 1;
  }
  return stored;
}

import { fileURLToPath } from 'node:url';
import type { BotContext } from '../../handlers/context.ts';
import { openWeek } from '../../handlers/prompt.ts';
import { handleReply } from '../../handlers/reply.ts';
import { userIdOn } from '../../handlers/people.ts';
import type { TeamReport } from '../report/definition.ts';
import type { PlatformName } from '../store/store.ts';
import { readRepliesDir } from './replies-dir.ts';

/** The reference week's replies, as its owners typed them. */
export const REFERENCE_REPLIES_DIR = fileURLToPath(new URL('../../seeds/2024-W23/', import.meta.url));

/**
 * Opens a week and answers it with the replies in a folder, each as its owner through the normal
 * reply path (parsed, stored, confirmed), so a newcomer sees a full cycle at once.
 */
export async function seedWeek(ctx: BotContext, team: TeamReport, week: string, platform: PlatformName, dir = REFERENCE_REPLIES_DIR): Promise<number> {
  await openWeek(ctx, team, week);
  const { replies } = await readRepliesDir(dir, team.definition);
  let stored = 0;
  for (const reply of replies) {
    const person = team.definition.people[reply.owner];
    const userId = person && userIdOn(person, reply.owner, platform);
    if (!userId) continue;
    await handleReply(ctx, {
      sender: { platform, userId },
      eventId: `seed:${team.definition.id}:${week}:${reply.sectionId}:${reply.owner}`,
      channel: `@${userId}`,
      form: { reportId: team.definition.id, week, sectionId: reply.sectionId },
      input: { source: 'text', text: reply.text },
      rawText: reply.text,
    });
    stored += 1;
  }
  return stored;
}

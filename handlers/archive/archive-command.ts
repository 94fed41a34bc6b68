import type { BotContext } from '../../src/bot/context.ts';
import type { Team } from '../../src/report/definition.ts';
import { formatInZone } from '../../src/report/week.ts';
import { messagesFor } from '../texts/messages.ts';

/**
 * `/weekly-report archive [week]`: a signed link to the web archive, as the caller may see it.
 * Leads get the team's link (every page: the weeks, participation of everyone, trends, search),
 * and the week's when they name one. Anyone else gets one week's page: as with `week`, every
 * member may read any week's report (`week`, `preview`), but the team's other pages show everyone's
 * participation, which `participation` shows leads only. Their week is the one named, or the last
 * published.
 * Answered to the caller only: whoever holds the link opens the pages.
 */
export async function archiveCommand(ctx: BotContext, team: Team, person: string, week: string | undefined): Promise<string> {
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const links = ctx.archive;
  if (!links) return text.archiveOff;
  const now = ctx.clock.now();
  const exp = links.expiryFrom(now);
  const expires = formatInZone(new Date(exp * 1000), definition.timeZone, 'yyyy-MM-dd HH:mm', definition.locale);
  const isLead = definition.leads.includes(person);

  let shown: string | undefined = week;
  if (week) {
    if (!(await ctx.store.getCycle(definition.id, week))) return text.noCycle(week);
  } else if (!isLead) {
    // The last published week; before any, the week being collected (a draft, as `preview` shows it).
    const cycles = (await ctx.store.listCycles(definition.id, 10)).sort((a, b) => b.week.localeCompare(a.week));
    shown = (cycles.find((c) => c.status === 'published') ?? cycles[0])?.week;
    if (!shown) return text.archiveEmpty;
  }
  return text.archiveLinks({
    ...(isLead ? { team: links.teamLink(definition.id, exp) } : {}),
    ...(shown ? { week: { week: shown, url: links.weekLink(definition.id, shown, exp) } } : {}),
    expires,
  });
}

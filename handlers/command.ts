import type { IncomingCommand, Respond } from '../src/platforms/platform.ts';
import type { TeamReport } from '../src/report/definition.ts';
import { isIsoWeek, isoWeekOf } from '../src/report/week.ts';
import type { BotContext } from './context.ts';
import { messagesFor, type Messages } from './messages.ts';
import { displayName, membershipsOf } from './people.ts';
import { compileWeek, publishWeek } from './publish.ts';
import { remindMissing } from './remind.ts';

/** `/weekly-report <subcommand> [argument] [report id]`, as parsed from what was typed. */
type Parsed =
  | { sub: 'status' | 'preview' | 'remind' | 'publish' | 'help'; teamId?: string }
  | { sub: 'week'; week: string; teamId?: string }
  | { sub: 'unknown'; what: string };

const NO_ARGUMENT = ['status', 'preview', 'remind', 'publish', 'help'] as const;

export function parseCommand(text: string, teamIds: readonly string[]): Parsed {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const teamId = words.length > 1 && teamIds.includes(words.at(-1)!) ? words.pop() : undefined;
  const [sub = 'help', ...args] = words.map((w, i) => (i === 0 ? w.toLowerCase() : w));
  if ((NO_ARGUMENT as readonly string[]).includes(sub)) {
    if (args.length > 0) return { sub: 'unknown', what: text.trim() };
    return { sub: sub as (typeof NO_ARGUMENT)[number], teamId };
  }
  if (sub === 'week') {
    const week = args[0]?.toUpperCase();
    if (args.length !== 1 || !week || !isIsoWeek(week)) return { sub: 'unknown', what: text.trim() };
    return { sub: 'week', week, teamId };
  }
  return { sub: 'unknown', what: text.trim() };
}

/**
 * The lead's command. Adapters acknowledge the platform first (Slack allows 3 s) and then call
 * this; everything here may take its time. `preview`, `week`, help and refusals are visible to
 * the caller only.
 */
export async function handleCommand(ctx: BotContext, command: IncomingCommand, respond: Respond, holder: string): Promise<void> {
  const memberships = membershipsOf(ctx, command.sender);
  const defaultText = messagesFor(memberships[0]?.team.definition.locale ?? ctx.teams[0]?.definition.locale ?? 'zh-CN');
  const parsed = parseCommand(command.text, ctx.teams.map((t) => t.definition.id));

  if (parsed.sub === 'unknown') return respond({ text: `${defaultText.unknownCommand(parsed.what)}\n\n${defaultText.help}` }, 'caller');
  if (parsed.sub === 'help') return respond({ text: defaultText.help }, 'caller');
  if (memberships.length === 0) return respond({ text: defaultText.noTeam }, 'caller');

  const chosen = parsed.teamId ? memberships.filter((m) => m.team.definition.id === parsed.teamId) : memberships;
  if (chosen.length !== 1) return respond({ text: defaultText.chooseTeam(memberships.map((m) => m.team.definition.id)) }, 'caller');
  const { team, person } = chosen[0]!;
  const text = messagesFor(team.definition.locale);
  const currentWeek = isoWeekOf(ctx.clock.now(), team.definition.timeZone);

  if ((parsed.sub === 'remind' || parsed.sub === 'publish') && !team.definition.leads.includes(person)) {
    const leads = team.definition.leads.map((k) => displayName(team.definition, k)).join(', ');
    return respond({ text: text.notLead(parsed.sub, leads) }, 'caller');
  }

  try {
    switch (parsed.sub) {
      case 'status':
        return await respond({ text: await statusText(ctx, team, currentWeek, text) }, 'caller');
      case 'preview':
      case 'week': {
        const week = parsed.sub === 'week' ? parsed.week : currentWeek;
        const cycle = await ctx.store.getCycle(team.definition.id, week);
        if (!cycle) return await respond({ text: text.noCycle(week) }, 'caller');
        const report = await compileWeek(ctx, team, cycle);
        return await respond({ text: report.markdown, markdown: report.markdown }, 'caller');
      }
      case 'remind':
        return await respond({ text: text.reminded(await remindMissing(ctx, team, currentWeek)) }, 'caller');
      case 'publish': {
        const outcome = await publishWeek(ctx, team, currentWeek, holder);
        if (outcome.status === 'no-cycle') return await respond({ text: text.noCycle(currentWeek) }, 'caller');
        if (outcome.status === 'in-progress') return await respond({ text: text.working }, 'caller');
        return await respond({ text: text.published(currentWeek, outcome.updated) }, 'caller');
      }
    }
  } catch (error) {
    ctx.logger.error({ err: error, command: command.text, user: command.sender.userId }, 'command failed');
    await respond({ text: text.failed(parsed.sub) }, 'caller');
  }
}

async function statusText(ctx: BotContext, team: TeamReport, week: string, text: Messages): Promise<string> {
  const { definition } = team;
  const cycle = await ctx.store.getCycle(definition.id, week);
  if (!cycle) return text.noCycle(week);
  const latest = await ctx.store.latestSubmissions(definition.id, week);
  const done: string[] = [];
  const missing: string[] = [];
  for (const section of definition.sections) {
    const absent = section.owners.filter((o) => !latest.some((s) => s.sectionId === section.id && s.owner === o));
    if (absent.length < section.owners.length) done.push(section.title);
    if (absent.length > 0) missing.push(`${section.title}（${absent.map((o) => displayName(definition, o)).join(', ')}）`);
  }
  return text.status(week, done, missing, definition.sections.length);
}

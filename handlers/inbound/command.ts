import type { IncomingCommand, OutgoingMessage, Respond } from '../../src/platforms/platform.ts';
import { weekStanding } from '../../src/report/section-answers.ts';
import type { Team } from '../../src/report/definition.ts';
import { truncate } from '../../src/report/truncate.ts';
import { isIsoWeek, isoWeekOf } from '../../src/report/week.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { messagesFor, type Messages, type StatusLines } from '../texts/messages.ts';
import { displayName, membershipsOf, type Membership } from '../owners/people.ts';
import { compileWeek, publishWeek } from '../cycle/publish.ts';
import { remindMissing } from '../cycle/remind.ts';
import { awayInWeek, readDate } from '../owners/away.ts';
import { teamInWeek } from '../owners/people.ts';
import { openWeekNow, promptOwners } from '../cycle/prompt.ts';
import { formatMoment } from '../texts/messages.ts';
import { holidayOf } from '../../src/report/holidays.ts';
import { runAcrossWeeksCommand } from '../across-weeks/run.ts';
import { isAcrossWeeksSubcommand, type AcrossWeeksSubcommand } from '../across-weeks/command.ts';
import { CACHED } from '../../src/store/store.ts';
import { knownStatus, rememberStatus, STATUS_ANSWERS_MAX_AGE_MS, STATUS_AT_ONCE_MAX_AGE_MS, statusVersion } from './status-memo.ts';
import { goalReviewStatus } from '../cycle/goals.ts';
import { weekAnswers } from '../cycle/week-answers.ts';

/** `/weekly-report <subcommand> [argument] [report id]`, as parsed from what was typed. */
type Parsed =
  | { sub: 'status' | 'preview' | 'remind' | 'open' | 'help'; teamId?: string }
  | { sub: 'publish'; confirmed: boolean; teamId?: string }
  | { sub: 'away' | 'delegate'; args: string[]; teamId?: string }
  | { sub: 'week'; week: string; teamId?: string }
  | { sub: AcrossWeeksSubcommand; args: string[]; teamId?: string }
  | { sub: 'unknown'; what: string };

const NO_ARGUMENT = ['status', 'preview', 'remind', 'open', 'help'] as const;
/** Subcommands only a team's leads may run. */
const LEADS_ONLY = new Set(['remind', 'publish', 'open', 'away', 'delegate']);

/**
 * The longest command text read. Real commands are a few words; longer text is refused unread,
 * so that a 1 MB command costs no parsing and no answer that quotes it back.
 */
export const MAX_COMMAND_CHARS = 2_000;
/** How much of an unknown command the answer quotes. */
const QUOTED_COMMAND_CHARS = 80;

export function parseCommand(text: string, teamIds: readonly string[]): Parsed {
  const words = text.trim().split(/\s+/).filter(Boolean);
  const teamId = words.length > 1 && teamIds.includes(words.at(-1)!) ? words.pop() : undefined;
  const [sub = 'help', ...args] = words.map((w, i) => (i === 0 ? w.toLowerCase() : w));
  if ((NO_ARGUMENT as readonly string[]).includes(sub)) {
    if (args.length > 0) return { sub: 'unknown', what: text.trim() };
    return { sub: sub as (typeof NO_ARGUMENT)[number], teamId };
  }
  if (sub === 'publish') {
    const confirmed = args.length === 1 && ['confirm', '确认'].includes(args[0]!.toLowerCase());
    if (args.length > 0 && !confirmed) return { sub: 'unknown', what: text.trim() };
    return { sub: 'publish', confirmed, teamId };
  }
  if (sub === 'away' || sub === 'delegate') return { sub, args, teamId };
  if (sub === 'week') {
    const week = args[0]?.toUpperCase();
    if (args.length !== 1 || !week || !isIsoWeek(week)) return { sub: 'unknown', what: text.trim() };
    return { sub: 'week', week, teamId };
  }
  // trend, incidents, history, participation: their words are read by ./across-weeks.ts.
  if (isAcrossWeeksSubcommand(sub)) return { sub, args, teamId };
  return { sub: 'unknown', what: text.trim() };
}

/** The one team the command is for: the sender's only one, or the one it names; null when that is not one team. */
function chosenMembership(memberships: Membership[], teamId: string | undefined): Membership | null {
  const chosen = teamId ? memberships.filter((m) => m.team.definition.id === teamId) : memberships;
  return chosen.length === 1 ? chosen[0]! : null;
}

/**
 * The answer to a command when it is already in memory, for the adapter to send with its
 * acknowledgement (a Slack slash command's HTTP answer): a `status` computed less than
 * STATUS_AT_ONCE_MAX_AGE_MS ago, with nothing stored for the week since. Null for everything else,
 * which is acknowledged and then run by handleCommand. Reads nothing from the store, so the
 * acknowledgement never waits on it; a lead asking over and over while answers pour in costs one
 * computed status a second.
 */
export function answerInMemory(ctx: BotContext, command: IncomingCommand): OutgoingMessage | null {
  if (command.text.length > MAX_COMMAND_CHARS) return null;
  const parsed = parseCommand(command.text, ctx.teams.map((t) => t.definition.id));
  if (parsed.sub !== 'status') return null;
  const chosen = chosenMembership(membershipsOf(ctx, command.sender), parsed.teamId);
  if (!chosen) return null;
  const { definition } = chosen.team;
  const status = knownStatus(ctx, definition.id, isoWeekOf(ctx.clock.now(), definition.timeZone), STATUS_AT_ONCE_MAX_AGE_MS);
  return status === null ? null : { text: status };
}

/**
 * The lead's command. Adapters acknowledge the platform first (Slack allows 3 s) and then call
 * this; everything here may take its time. `preview`, `week`, help and refusals are visible to
 * the caller only.
 */
export async function handleCommand(ctx: BotContext, command: IncomingCommand, respond: Respond, holder: string): Promise<void> {
  const memberships = membershipsOf(ctx, command.sender);
  const defaultText = messagesFor(memberships[0]?.team.definition.locale ?? ctx.teams[0]?.definition.locale ?? 'zh-CN');
  const unknown = (what: string) => respond({ text: `${defaultText.unknownCommand(truncate(what, QUOTED_COMMAND_CHARS))}\n\n${defaultText.help}` }, 'caller');
  // The slice holds at least twice the quote in code points: truncate always cuts it, never mid-emoji.
  if (command.text.length > MAX_COMMAND_CHARS) return unknown(command.text.trimStart().slice(0, QUOTED_COMMAND_CHARS * 4));
  const parsed = parseCommand(command.text, ctx.teams.map((t) => t.definition.id));

  if (parsed.sub === 'unknown') return unknown(parsed.what);
  if (parsed.sub === 'help') return respond({ text: defaultText.help }, 'caller');
  if (memberships.length === 0) return respond({ text: defaultText.noTeam }, 'caller');

  const chosen = chosenMembership(memberships, parsed.teamId);
  if (!chosen) return respond({ text: defaultText.chooseTeam(memberships.map((m) => m.team.definition.id)) }, 'caller');
  const { team, person } = chosen;
  const text = messagesFor(team.definition.locale);
  const currentWeek = isoWeekOf(ctx.clock.now(), team.definition.timeZone);

  if (LEADS_ONLY.has(parsed.sub) && !team.definition.leads.includes(person)) {
    const leads = team.definition.leads.map((k) => displayName(team.definition, k)).join(', ');
    return respond({ text: text.notLead(parsed.sub, leads) }, 'caller');
  }

  try {
    // Before the week opens, status, remind and publish say so, and when and how it opens.
    if (parsed.sub === 'status' || parsed.sub === 'remind' || parsed.sub === 'publish') {
      const notOpen = await notOpenText(ctx, team, currentWeek, text);
      if (notOpen) return await respond({ text: notOpen }, 'caller');
    }
    switch (parsed.sub) {
      case 'status': {
        const version = statusVersion(ctx, team.definition.id, currentWeek);
        const status = [await statusText(ctx, team, currentWeek, text), await goalReviewStatus(ctx, team, currentWeek)].filter(Boolean).join('\n');
        rememberStatus(ctx, team.definition.id, currentWeek, version, status);
        return await respond({ text: status }, 'caller');
      }
      case 'away':
        return await respond({ text: await setAway(ctx, team, person, parsed.args, text) }, 'caller');
      case 'delegate':
        return await respond({ text: await delegate(ctx, team, person, parsed.args, currentWeek, text) }, 'caller');
      case 'open': {
        const opened = await openWeekNow(ctx, team, currentWeek);
        return await respond({ text: text.opened(currentWeek, opened.alreadyOpen, opened.result) }, 'caller');
      }
      case 'preview':
      case 'week': {
        const week = parsed.sub === 'week' ? parsed.week : currentWeek;
        const cycle = await ctx.store.getCycle(team.definition.id, week);
        if (!cycle) return await respond({ text: text.noCycle(week) }, 'caller');
        const report = await compileWeek(ctx, team, cycle);
        return await respond({ text: report.markdown, markdown: report.markdown, locale: team.definition.locale }, 'caller');
      }
      case 'remind':
        return await respond({ text: text.reminded(await remindMissing(ctx, team, currentWeek)) }, 'caller');
      case 'publish': {
        // Publishing with sections missing is a decision: the lead sees who is missing and confirms.
        // Once published, publishing again only brings the posted report up to date: nothing to confirm.
        const published = (await ctx.store.getCycle(team.definition.id, currentWeek))?.status === 'published';
        const missing = parsed.confirmed || published ? [] : await missingOwners(ctx, team, currentWeek, text);
        if (missing.length > 0) {
          return await respond({ text: text.confirmPublish(currentWeek, missing), commands: [{ label: text.publishAnyway, command: 'publish confirm' }], locale: team.definition.locale }, 'caller');
        }
        const outcome = await publishWeek(ctx, team, currentWeek, holder);
        if (outcome.status === 'no-cycle') return await respond({ text: text.noCycle(currentWeek) }, 'caller');
        if (outcome.status === 'in-progress') return await respond({ text: text.working }, 'caller');
        return await respond({ text: text.published(currentWeek, outcome.updated) }, 'caller');
      }
      default:
        if ('args' in parsed) return await runAcrossWeeksCommand(ctx, { sub: parsed.sub, args: parsed.args, team, person, currentWeek, command }, respond);
    }
  } catch (error) {
    ctx.logger.error({ err: error, command: command.text, user: command.sender.userId }, 'command failed');
    await respond({ text: text.failed(parsed.sub) }, 'caller');
  }
}

/** Why the week has no report yet (a holiday, or not opened) and how to open it now; null when it is open. */
async function notOpenText(ctx: BotContext, team: Team, week: string, text: Messages): Promise<string | null> {
  const { definition } = team;
  if (await ctx.store.getCycle(definition.id, week, CACHED)) return null;
  const holiday = holidayOf(definition, week);
  if (holiday) return text.holiday(week, holiday.name);
  return text.notOpenYet(week, formatMoment(definition, week, definition.schedule.open));
}

/**
 * Sections nobody has answered, as "【section】（names）": those missing and those whose owners are
 * away, as `status` lists them (a section a co-owner answered is not missing).
 */
async function missingOwners(ctx: BotContext, team: Team, week: string, text: Messages): Promise<string[]> {
  const { definition } = await teamInWeek(ctx, team, week);
  const latest = await weekAnswers(ctx.store, definition.id, week);
  const away = await awayInWeek(ctx, definition, week);
  return weekStanding(definition, latest, away).sections.flatMap((s) =>
    s.state === 'missing' || s.state === 'away' ? [text.sectionWho(s.title, [...s.missing, ...s.away].map((o) => displayName(definition, o)))] : [],
  );
}

/** `away <person> <from> <to>`: the person by key or name, the dates as 2024-06-03 or 6/3. */
async function setAway(ctx: BotContext, team: Team, lead: string, args: string[], text: Messages): Promise<string> {
  const { definition } = team;
  const [who = '', fromText = '', toText = fromText] = args;
  const person = who in definition.people ? who : Object.keys(definition.people).find((k) => definition.people[k]?.name === who);
  const from = readDate(fromText, ctx.clock.now(), definition.timeZone);
  const to = readDate(toText, ctx.clock.now(), definition.timeZone);
  if (!person || !from || !to || to < from || args.length > 3) return text.awayUsage(Object.keys(definition.people).join(', '));
  await ctx.store.recordAbsence({ teamId: definition.id, person, from, to, setBy: lead, at: ctx.clock.now() });
  return text.awaySet(displayName(definition, person), from, to);
}

/** `delegate <section> <person> [week]`: the section by id or title, the person by key or name, this week by default. */
async function delegate(ctx: BotContext, team: Team, lead: string, args: string[], currentWeek: string, text: Messages): Promise<string> {
  const { definition } = team;
  const [sectionText = '', who = '', weekText = currentWeek] = args;
  const section = definition.sections.find((s) => s.id === sectionText.toLowerCase() || s.title === sectionText);
  const person = who in definition.people ? who : Object.keys(definition.people).find((k) => definition.people[k]?.name === who);
  const week = weekText.toUpperCase();
  if (!section || !person || !isIsoWeek(week) || args.length > 3) {
    return text.delegateUsage(definition.sections.map((s) => s.id).join(', '), Object.keys(definition.people).join(', '));
  }
  await ctx.store.recordDelegation({ teamId: definition.id, week, sectionId: section.id, person, setBy: lead, at: ctx.clock.now() });
  // Handed over after the week opened: the new owner is asked now (the prompt is reserved, so once).
  if (await ctx.store.getCycle(definition.id, week)) await promptOwners(ctx, team, week);
  return text.delegated(section.title, displayName(definition, person), week);
}

/**
 * Leads ask for it over and over while answers pour in: everything comes from the store's cache.
 * The answers include every one this process stored (the cache keeps them as they are stored),
 * and are read again when two seconds old, for other replicas' (STATUS_ANSWERS_MAX_AGE_MS).
 */
async function statusText(ctx: BotContext, team: Team, week: string, text: Messages): Promise<string> {
  const { definition } = await teamInWeek(ctx, team, week, CACHED);
  const latest = await weekAnswers(ctx.store, definition.id, week, { cached: { maxAgeMs: STATUS_ANSWERS_MAX_AGE_MS } });
  const away = await awayInWeek(ctx, definition, week, CACHED);
  const lines: StatusLines = { answered: [], skipped: [], missing: [], away: [], total: definition.sections.length };
  // Each section once, in the line of its state.
  for (const s of weekStanding(definition, latest, away).sections) {
    const who = (people: string[]) => text.sectionWho(s.title, people.map((o) => displayName(definition, o)));
    switch (s.state) {
      case 'answered':
      case 'skipped':
        lines[s.state].push(s.title);
        break;
      case 'missing':
        lines.missing.push(who(s.missing));
        break;
      case 'away':
        lines.away.push(who(s.away));
        break;
    }
  }
  return text.status(week, lines);
}

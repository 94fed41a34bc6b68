import type { IncomingCommand, OutgoingMessage, Respond } from '../../src/platforms/platform.ts';
import { weekStanding } from '../../src/report/section-answers.ts';
import type { Team } from '../../src/report/definition.ts';
import { truncate } from '../../src/report/truncate.ts';
import { isIsoWeek, isoWeekOf, readWeek, shiftWeek, type WeekProblem } from '../../src/report/week.ts';
import type { BotContext } from '../../src/bot/context.ts';
import { messagesFor, type Messages, type StatusLines } from '../texts/messages.ts';
import { displayName, membershipsOf, type Membership } from '../owners/people.ts';
import { compileWeek, publishWeek } from '../cycle/publish.ts';
import { remindMissing } from '../cycle/remind.ts';
import { awayInWeek, readAwayRange, readDate, todayIn } from '../owners/away.ts';
import { teamInWeek } from '../owners/people.ts';
import { promptOwners } from '../cycle/prompt.ts';
import { openCommand, type OpenChoice } from '../cycle/open.ts';
import { activeWeek, notOpenText } from '../cycle/dates.ts';
import { runAcrossWeeksCommand } from '../across-weeks/run.ts';
import { isAcrossWeeksSubcommand, quoted, retype, weekInstead, type AcrossWeeksSubcommand } from '../across-weeks/command.ts';
import { CACHED } from '../../src/store/store.ts';
import { knownStatus, rememberStatus, STATUS_ANSWERS_MAX_AGE_MS, STATUS_AT_ONCE_MAX_AGE_MS, statusVersion } from './status-memo.ts';
import { goalReviewStatus } from '../cycle/goals.ts';
import { weekAnswers } from '../cycle/week-answers.ts';
import { archiveCommand } from '../archive/archive-command.ts';

/** What is wrong with the words after a subcommand parseCommand reads itself. */
type ArgumentProblem =
  /** Words after all the subcommand takes: `keep` is what it takes, as typed. */
  | { kind: 'extra-words'; keep: string[]; extra: string }
  | { kind: 'publish-argument'; word: string }
  | { kind: 'open-argument'; word: string }
  | { kind: 'week-missing' }
  | { kind: 'week'; word: string; problem: WeekProblem };

/** `/weekly-report <subcommand> [argument] [report id]`, as parsed from what was typed. */
type Parsed =
  | { sub: 'status' | 'preview' | 'remind' | 'help'; teamId?: string }
  | { sub: 'publish'; confirmed: boolean; teamId?: string }
  | { sub: 'open'; choice: OpenChoice; teamId?: string }
  | { sub: 'away' | 'delegate'; args: string[]; teamId?: string }
  | { sub: 'week'; week: string; teamId?: string }
  | { sub: 'archive'; week?: string; teamId?: string }
  | { sub: AcrossWeeksSubcommand; args: string[]; teamId?: string }
  /** A subcommand it knows, with words it cannot use: the answer says what is wrong and what to type. */
  | { sub: 'invalid'; of: string; problem: ArgumentProblem; teamId?: string }
  | { sub: 'unknown'; what: string };

const NO_ARGUMENT = ['status', 'preview', 'remind', 'help'] as const;
const CONFIRM_WORDS = ['confirm', '确认'];
/** The words after `open`: this week anyway (late, or a holiday), or the next week now. */
const OPEN_CHOICES: Record<string, OpenChoice> = { late: 'this', confirm: 'this', 补开: 'this', 确认: 'this', next: 'next', 下周: 'next' };
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
  const invalid = (problem: ArgumentProblem): Parsed => ({ sub: 'invalid', of: sub, problem, teamId });
  // Help is help, whatever follows it.
  if (sub === 'help') return { sub, teamId };
  if ((NO_ARGUMENT as readonly string[]).includes(sub)) {
    if (args.length > 0) return invalid({ kind: 'extra-words', keep: [], extra: args.join(' ') });
    return { sub: sub as (typeof NO_ARGUMENT)[number], teamId };
  }
  if (sub === 'publish') {
    const [word, ...extra] = args;
    if (word === undefined) return { sub: 'publish', confirmed: false, teamId };
    if (!CONFIRM_WORDS.includes(word.toLowerCase())) return invalid({ kind: 'publish-argument', word });
    if (extra.length > 0) return invalid({ kind: 'extra-words', keep: [word], extra: extra.join(' ') });
    return { sub: 'publish', confirmed: true, teamId };
  }
  if (sub === 'open') {
    const choice = args.length === 0 ? 'ask' : args.length === 1 ? OPEN_CHOICES[args[0]!.toLowerCase()] : undefined;
    if (!choice) return invalid({ kind: 'open-argument', word: args.join(' ') });
    return { sub: 'open', choice, teamId };
  }
  if (sub === 'away' || sub === 'delegate') return { sub, args, teamId };
  if (sub === 'week') {
    const [word, ...extra] = args;
    if (word === undefined) return invalid({ kind: 'week-missing' });
    const reading = readWeek(word);
    if (!('week' in reading)) return invalid({ kind: 'week', word, problem: reading });
    if (extra.length > 0) return invalid({ kind: 'extra-words', keep: [word], extra: extra.join(' ') });
    return { sub: 'week', week: reading.week, teamId };
  }
  if (sub === 'archive') {
    const [word, ...extra] = args;
    if (word === undefined) return { sub: 'archive', teamId };
    const reading = readWeek(word);
    if (!('week' in reading)) return invalid({ kind: 'week', word, problem: reading });
    if (extra.length > 0) return invalid({ kind: 'extra-words', keep: [word], extra: extra.join(' ') });
    return { sub: 'archive', week: reading.week, teamId };
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
  const parsed = parseCommand(
    command.text,
    ctx.teams.map((t) => t.definition.id),
  );
  if (parsed.sub !== 'status') return null;
  const chosen = chosenMembership(membershipsOf(ctx, command.sender), parsed.teamId);
  if (!chosen) return null;
  const { definition } = chosen.team;
  const week = isoWeekOf(ctx.clock.now(), definition.timeZone);
  // The next week's, when a lead opened it early: then it is the week being collected (see activeWeek).
  const status =
    knownStatus(ctx, definition.id, shiftWeek(week, 1), STATUS_AT_ONCE_MAX_AGE_MS) ?? knownStatus(ctx, definition.id, week, STATUS_AT_ONCE_MAX_AGE_MS);
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
  const parsed = parseCommand(
    command.text,
    ctx.teams.map((t) => t.definition.id),
  );

  if (parsed.sub === 'unknown') return unknown(parsed.what);
  if (parsed.sub === 'help') return respond({ text: defaultText.help }, 'caller');
  if (memberships.length === 0) return respond({ text: defaultText.noTeam }, 'caller');

  const chosen = chosenMembership(memberships, parsed.teamId);
  if (!chosen) return respond({ text: defaultText.chooseTeam(memberships.map((m) => m.team.definition.id)) }, 'caller');
  const { team, person } = chosen;
  const text = messagesFor(team.definition.locale);

  const sub = parsed.sub === 'invalid' ? parsed.of : parsed.sub;
  if (LEADS_ONLY.has(sub) && !team.definition.leads.includes(person)) {
    const leads = team.definition.leads.map((k) => displayName(team.definition, k)).join(', ');
    return respond({ text: text.notLead(sub, leads) }, 'caller');
  }
  if (parsed.sub === 'invalid') return respond({ text: argumentProblemText(parsed, isoWeekOf(ctx.clock.now(), team.definition.timeZone), text) }, 'caller');

  try {
    // The week being collected: this one, or the next once a lead opened it early.
    const active = await activeWeek(ctx, team.definition, ctx.clock.now());
    const currentWeek = active.week;
    // Before the week opens, status, remind and publish say so: when it opens, or that it was skipped and what to do.
    if ((parsed.sub === 'status' || parsed.sub === 'remind' || parsed.sub === 'publish') && !active.cycle) {
      return await respond({ text: notOpenText(team.definition, currentWeek, ctx.clock.now()) }, 'caller');
    }
    switch (parsed.sub) {
      case 'status': {
        const version = statusVersion(ctx, team.definition.id, currentWeek);
        const status = [await statusText(ctx, team, currentWeek, text), await goalReviewStatus(ctx, team, currentWeek)].filter(Boolean).join('\n');
        rememberStatus(ctx, team.definition.id, currentWeek, version, status);
        return await respond({ text: status }, 'caller');
      }
      case 'away':
        return await respond({ text: await away(ctx, team, person, parsed, text) }, 'caller');
      case 'delegate':
        return await respond({ text: await delegation(ctx, team, person, parsed, currentWeek, text) }, 'caller');
      case 'open':
        return await respond(await openCommand(ctx, team, parsed.choice), 'caller');
      case 'preview':
      case 'week': {
        const week = parsed.sub === 'week' ? parsed.week : currentWeek;
        const cycle = await ctx.store.getCycle(team.definition.id, week);
        if (!cycle) return await respond({ text: text.noCycle(week) }, 'caller');
        const report = await compileWeek(ctx, team, cycle);
        return await respond({ text: report.markdown, markdown: report.markdown, locale: team.definition.locale }, 'caller');
      }
      case 'archive':
        return await respond({ text: await archiveCommand(ctx, team, person, parsed.week) }, 'caller');
      case 'remind':
        return await respond({ text: text.reminded(await remindMissing(ctx, team, currentWeek)) }, 'caller');
      case 'publish': {
        // Publishing with sections missing is a decision: the lead sees who is missing and confirms.
        // Once published, publishing again only brings the posted report up to date: nothing to confirm.
        const published = (await ctx.store.getCycle(team.definition.id, currentWeek))?.status === 'published';
        const missing = parsed.confirmed || published ? [] : await missingOwners(ctx, team, currentWeek, text);
        if (missing.length > 0) {
          return await respond(
            {
              text: text.confirmPublish(currentWeek, missing),
              commands: [{ label: text.publishAnyway, command: 'publish confirm' }],
              locale: team.definition.locale,
            },
            'caller',
          );
        }
        const outcome = await publishWeek(ctx, team, currentWeek, holder);
        if (outcome.status === 'no-cycle') return await respond({ text: text.noCycle(currentWeek) }, 'caller');
        if (outcome.status === 'in-progress') return await respond({ text: text.working }, 'caller');
        return await respond({ text: text.published(currentWeek, outcome.updated) }, 'caller');
      }
      default:
        if ('args' in parsed) {
          // Across weeks, "this week" is the calendar's.
          const { teamId } = parsed;
          const calendarWeek = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
          return await runAcrossWeeksCommand(
            ctx,
            { sub: parsed.sub, args: parsed.args, team, person, currentWeek: calendarWeek, command, ...(teamId ? { teamId } : {}) },
            respond,
          );
        }
    }
  } catch (error) {
    ctx.logger.error({ err: error, command: command.text, user: command.sender.userId }, 'command failed');
    await respond({ text: text.failed(parsed.sub) }, 'caller');
  }
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
    s.state === 'missing' || s.state === 'away'
      ? [
          text.sectionWho(
            s.title,
            [...s.missing, ...s.away].map((o) => displayName(definition, o)),
          ),
        ]
      : [],
  );
}

/** The answer to words a subcommand cannot use: what is wrong, and the command to type instead, made of what was typed. */
function argumentProblemText(parsed: Extract<Parsed, { sub: 'invalid' }>, currentWeek: string, text: Messages): string {
  const { of, problem, teamId } = parsed;
  // `week` shows a past week; its example is last week.
  const lastWeek = shiftWeek(currentWeek, -1);
  switch (problem.kind) {
    case 'extra-words':
      return text.extraWords(of, quoted(problem.extra), retype(of, problem.keep, teamId));
    case 'publish-argument':
      return text.publishArgument(quoted(problem.word), retype('publish', [], teamId), retype('publish', ['confirm'], teamId));
    case 'open-argument':
      return text.openArgument(quoted(problem.word), retype('open', [], teamId), retype('open', ['late'], teamId), retype('open', ['next'], teamId));
    case 'week-missing':
      return text.weekMissing(retype('week', [lastWeek], teamId));
    case 'week':
      return text.weekProblem(quoted(problem.word), problem.problem, retype(of, [weekInstead(problem.problem, lastWeek)], teamId));
  }
}

/** A person of the team by key or by name. */
function findPerson(team: Team, word: string): string | undefined {
  const { people } = team.definition;
  return word in people ? word : Object.keys(people).find((k) => people[k]?.name === word);
}

/** `away <person> <from> <to>`, `away list`, `away cancel <person> [<from>]`. */
function away(ctx: BotContext, team: Team, lead: string, parsed: { args: string[]; teamId?: string }, text: Messages): Promise<string> {
  const { args } = parsed;
  if (args[0]?.toLowerCase() === 'list') return listAway(ctx, team, args.slice(1), text);
  if (args[0]?.toLowerCase() === 'cancel') return cancelAway(ctx, team, lead, args.slice(1), text);
  return setAway(ctx, team, lead, parsed, text);
}

/** `away list`: the absences in force that end today or later, by first day. */
async function listAway(ctx: BotContext, team: Team, args: string[], text: Messages): Promise<string> {
  if (args.length > 0) return text.awayListUsage;
  const { definition } = team;
  const from = todayIn(ctx.clock.now(), team.definition.timeZone);
  const absences = (await ctx.store.listAbsences(definition.id))
    .filter((a) => a.to >= from)
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to) || a.person.localeCompare(b.person));
  return text.awayList(
    absences.map((a) => ({ name: displayName(definition, a.person), key: a.person, from: a.from, to: a.to, setBy: displayName(definition, a.setBy) })),
  );
}

/**
 * `away cancel <person> [<from>]`: the person's absences starting that day (past ones too), or,
 * without a day, their one absence that ends today or later (with several, which is asked).
 */
async function cancelAway(ctx: BotContext, team: Team, lead: string, args: string[], text: Messages): Promise<string> {
  const { definition } = team;
  const [who = '', fromText] = args;
  const person = findPerson(team, who);
  const from = fromText === undefined ? null : readDate(fromText, ctx.clock.now(), definition.timeZone);
  if (!person || (fromText !== undefined && !from) || args.length > 2) return text.awayCancelUsage(Object.keys(definition.people).join(', '));
  const name = displayName(definition, person);
  const mine = (await ctx.store.listAbsences(definition.id))
    .filter((a) => a.person === person)
    .sort((a, b) => a.from.localeCompare(b.from) || a.to.localeCompare(b.to));
  const chosen = from ? mine.filter((a) => a.from === from) : mine.filter((a) => a.to >= todayIn(ctx.clock.now(), team.definition.timeZone));
  if (chosen.length === 0) return text.awayNothingToCancel(name, from);
  if (!from && chosen.length > 1) return text.awayWhich(name, person, chosen);
  const cancelled = [];
  for (const a of chosen) {
    if (await ctx.store.cancelAbsence({ teamId: definition.id, person, from: a.from, to: a.to, setBy: lead, at: ctx.clock.now() })) cancelled.push(a);
  }
  // Cancelled meanwhile by another lead (or replica): nothing left to cancel.
  if (cancelled.length === 0) return text.awayNothingToCancel(name, from);
  // No longer away: asked now if the week is open (a prompt is reserved, so once).
  const week = isoWeekOf(ctx.clock.now(), definition.timeZone);
  if (await ctx.store.getCycle(definition.id, week)) await promptOwners(ctx, team, week);
  return text.awayCancelled(name, cancelled);
}

/** `away <person> <from> [to]`: the person by key or name, the dates as 2024-06-03 or 6/3 (readAwayRange). */
async function setAway(ctx: BotContext, team: Team, lead: string, parsed: { args: string[]; teamId?: string }, text: Messages): Promise<string> {
  const { definition } = team;
  const { args, teamId } = parsed;
  const usage = text.awayUsage(Object.keys(definition.people).join(', '));
  const [who, fromText, toText = fromText] = args;
  if (who === undefined || fromText === undefined || toText === undefined) return usage;
  if (args.length > 3) return text.extraWords('away', quoted(args.slice(3).join(' ')), retype('away', args.slice(0, 3), teamId));
  const person = findPerson(team, who);
  if (!person) return `${text.noSuchPerson(quoted(who))}\n${usage}`;
  const range = readAwayRange(fromText, toText, ctx.clock.now(), definition.timeZone);
  if ('problem' in range) {
    if (range.problem === 'not-a-date') return `${text.notADate(quoted(range.word))}\n${usage}`;
    return text.awayReversed(range.from, range.to, retype('away', [who, toText, fromText], teamId));
  }
  await ctx.store.recordAbsence({ teamId: definition.id, person, from: range.from, to: range.to, setBy: lead, at: ctx.clock.now() });
  return text.awaySet(displayName(definition, person), range.from, range.to);
}

/** `delegate <section> <person> [week]`, `delegate list [week]`, `delegate cancel <section> [week]`. */
function delegation(
  ctx: BotContext,
  team: Team,
  lead: string,
  parsed: { args: string[]; teamId?: string },
  currentWeek: string,
  text: Messages,
): Promise<string> {
  const { args } = parsed;
  if (args[0]?.toLowerCase() === 'list') return listDelegations(ctx, team, args.slice(1), currentWeek, text);
  if (args[0]?.toLowerCase() === 'cancel') return cancelDelegation(ctx, team, lead, args.slice(1), currentWeek, text);
  return delegate(ctx, team, lead, parsed, currentWeek, text);
}

/** A section of the team by id or title. */
function sectionNamed(team: Team, word: string): Team['definition']['sections'][number] | undefined {
  return team.definition.sections.find((s) => s.id === word.toLowerCase() || s.title === word);
}

/** `delegate list [week]`: the week's sections handed over (this week by default), in the definition's order. */
async function listDelegations(ctx: BotContext, team: Team, args: string[], currentWeek: string, text: Messages): Promise<string> {
  const week = (args[0] ?? currentWeek).toUpperCase();
  if (args.length > 1 || !isIsoWeek(week)) return text.delegateListUsage;
  const { definition } = team;
  const names = (keys: readonly string[]) => keys.map((k) => displayName(definition, k));
  const inForce = new Map((await ctx.store.listDelegations(definition.id, week)).map((d) => [d.sectionId, d]));
  return text.delegateList(
    week,
    definition.sections.flatMap((s) => {
      const d = inForce.get(s.id);
      return d
        ? [{ title: s.title, id: s.id, usual: names(s.owners), person: displayName(definition, d.person), setBy: displayName(definition, d.setBy) }]
        : [];
    }),
  );
}

/** `delegate cancel <section> [week]`: the section's usual owners write it again (and are asked now, if the week is open and they were not yet). */
async function cancelDelegation(ctx: BotContext, team: Team, lead: string, args: string[], currentWeek: string, text: Messages): Promise<string> {
  const { definition } = team;
  const [sectionText = '', weekText = currentWeek] = args;
  const section = sectionNamed(team, sectionText);
  const week = weekText.toUpperCase();
  if (!section || !isIsoWeek(week) || args.length > 2) return text.delegateCancelUsage(definition.sections.map((s) => s.id).join(', '));
  const cancelled = await ctx.store.cancelDelegation({ teamId: definition.id, week, sectionId: section.id, setBy: lead, at: ctx.clock.now() });
  if (!cancelled) return text.delegateNothingToCancel(section.title, week);
  if (await ctx.store.getCycle(definition.id, week)) await promptOwners(ctx, team, week);
  return text.delegateCancelled(
    section.title,
    displayName(definition, cancelled.person),
    section.owners.map((o) => displayName(definition, o)),
    week,
  );
}

/** `delegate <section> <person> [week]`: the section by id or title, the person by key or name, this week by default. */
async function delegate(
  ctx: BotContext,
  team: Team,
  lead: string,
  parsed: { args: string[]; teamId?: string },
  currentWeek: string,
  text: Messages,
): Promise<string> {
  const { definition } = team;
  const { args, teamId } = parsed;
  const usage = text.delegateUsage(definition.sections.map((s) => s.id).join(', '), Object.keys(definition.people).join(', '));
  const [sectionText, who, weekText] = args;
  if (sectionText === undefined || who === undefined) return usage;
  if (args.length > 3) return text.extraWords('delegate', quoted(args.slice(3).join(' ')), retype('delegate', args.slice(0, 3), teamId));
  const section = definition.sections.find((s) => s.id === sectionText.toLowerCase() || s.title === sectionText);
  if (!section) return `${text.noSuchSection(quoted(sectionText))}\n${usage}`;
  const person = findPerson(team, who);
  if (!person) return `${text.noSuchPerson(quoted(who))}\n${usage}`;
  const reading = weekText === undefined ? { week: currentWeek } : readWeek(weekText);
  if (!('week' in reading))
    return text.weekProblem(quoted(weekText!), reading, retype('delegate', [sectionText, who, weekInstead(reading, currentWeek)], teamId));
  const { week } = reading;
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
    const who = (people: string[]) =>
      text.sectionWho(
        s.title,
        people.map((o) => displayName(definition, o)),
      );
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

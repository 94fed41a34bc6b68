import type { IncomingReply, OutgoingMessage, WireReply } from '../../src/platforms/platform.ts';
import { answerSender, refuseSender } from './answer-sender.ts';
import { emptyContent } from '../../src/report/model.ts';
import { partsOf } from '../../src/store/records.ts';
import { RevisionConflict, type LatestSubmission, type Prompt } from '../../src/store/store.ts';
import type { NotTheirs } from '../owners/people.ts';
import { answerLate } from './late-answer.ts';
import { weekAnswers } from '../cycle/week-answers.ts';
import { isPendingStartOver } from '../../src/report/start-over.ts';
import { answerText, applyChange, isSkip, isStartOver, type AnswerChange } from './answer-parts.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import type { SectionInWeek } from '../../src/report/section-answers.ts';
import type { Locale } from '../../src/report/locale.ts';
import { compileSection } from '../../src/report/compile.ts';
import { sectionMetrics } from '../../src/report/across-weeks/week-data.ts';
import { metricProblemMessage } from '../../src/report/metrics/index.ts';
import { renderSectionBody } from '../../src/report/render/section-markdown.ts';
import { parseReply, replyInputOf, type ReplyInput } from '../../src/report/parse/index.ts';
import { formatInZone } from '../../src/report/week.ts';
import { platformOf, type BotContext } from '../../src/bot/context.ts';
import { messagesFor } from '../texts/messages.ts';
import { displayName, membershipsOf, notTheirs, ownedSection, peopleNames, personKeyOf, sectionInWeek, teamInWeek } from '../owners/people.ts';
import { sectionNamedByFirstLine } from '../../src/report/parse/section-title.ts';
import { activeWeek, notOpenReason } from '../cycle/dates.ts';
import { CACHED } from '../../src/store/store.ts';
import { asGoalReview, handleGoalReview } from './goal-review.ts';

/** The section a reply is for, once matched, and what the reply does to its answer. */
interface Target {
  team: Team;
  section: SectionDefinition;
  owner: string;
  week: string;
  /** The reply's content; what is left of it when the first line named the section. */
  input: ReplyInput | WireReply;
  /** The owner's latest revision as read while matching (null: none yet), so that storing need not read it again. */
  latest?: LatestSubmission | null;
}

type Match = { target: Target } | { refusal: OutgoingMessage };

/** Tries to store one change before giving up: each conflict means another message of the same answer landed first. */
const MAX_CHANGE_ATTEMPTS = 20;

/**
 * A direct message, thread reply, form submission, edit or deletion from a person: matched to the
 * section it answers, applied to the owner's answer (a message appends, an edit replaces its part,
 * a deletion removes it, a form replaces all), parsed as a whole, stored as a new revision with
 * every part's raw text, then confirmed with a preview of the whole section. A rejected change
 * stores nothing and says what to fix. An answer after the report went out updates it.
 */
export async function handleReply(ctx: BotContext, reply: IncomingReply, holder = 'reply'): Promise<void> {
  // Classified once: the prompt it is in the thread of (read once), then a goal review (`目标 1
  // 完成` in the thread of the prompt that reviews last week's goals, or a checklist choice) or an answer.
  const prompt = reply.replyTo && !reply.form ? await ctx.store.findPromptByMessage(reply.sender.platform, reply.replyTo) : null;
  const review = await asGoalReview(ctx, reply, prompt);
  if (review) return handleGoalReview(ctx, reply, review);
  const match = await matchTarget(ctx, reply, prompt);
  if ('refusal' in match) {
    if (!reply.deleted) await refuseSender(ctx, reply, match.refusal);
    return;
  }
  const { team, section, owner, week } = match.target;
  const { definition } = team;
  const text = messagesFor(definition.locale);
  // One section, one owner at a time: a section handed to someone else that week is theirs alone.
  const refused = await notTheirs(ctx, team, week, section.id, owner);
  if (refused) {
    await refuseSender(ctx, reply, { text: notTheirsText(team, week, refused, reply), locale: definition.locale });
    return;
  }
  const key = { teamId: definition.id, week, sectionId: section.id, owner };

  const input = parserInput(ctx, team, reply, match.target.input);
  // A payload the platform could not read, or a message with nothing in it, adds nothing: say why.
  if (!reply.deleted && (input.source === 'unreadable' || input.text.trim() === '')) {
    const problem = parseReply(input, section, { locale: definition.locale });
    if (!problem.ok) await refuseSender(ctx, reply, { text: text.rejected(section.title, problem.error.message), locale: definition.locale });
    return;
  }
  const change = changeOf(reply, input);
  // "【O2 能力升级】" on the first line of a reply in O1's thread, from someone who doesn't own O2:
  // storing it under O1 would put O2's text in the wrong place.
  if (change.kind === 'add' || change.kind === 'edit' || change.kind === 'replace') {
    const named = sectionNamedByFirstLine(change.part.text, definition.sections);
    if (named && named.id !== section.id && !named.owners.includes(owner)) {
      const owners = named.owners.map((o) => displayName(definition, o)).join(', ');
      await refuseSender(ctx, reply, { text: text.namesOtherSection(named.title, owners, section.title), locale: definition.locale });
      return;
    }
  }
  let stored: { revision: number; duplicate: boolean; submission: LatestSubmission } | null = null;
  for (let attempt = 0; attempt < MAX_CHANGE_ATTEMPTS && !stored; attempt++) {
    // The first attempt builds on the cached answer (what matching used, or the store's cache): if
    // it is out of date, the store refuses the revision (RevisionConflict) and the next attempt
    // reads the store (which brings its cache up to date).
    const latest =
      attempt === 0
        ? match.target.latest !== undefined
          ? match.target.latest
          : await ctx.store.latestSubmission(key, CACHED)
        : await ctx.store.latestSubmission(key);
    const parts = applyChange(latest ? partsOf(latest) : [], change);
    // Deleting a message that is not part of the answer (any more: after 重写, 本周无 or a form)
    // changes nothing: no revision (which would undo a skip), no confirmation, no late update.
    // Decided on the answer as stored, not as cached.
    if (change.kind === 'delete' && parts.length === (latest ? partsOf(latest).length : 0)) {
      if (attempt === 0) continue;
      return;
    }
    const parsed =
      parts.length === 0
        ? ({ ok: true, content: emptyContent(section.kind) } as const)
        : parseReply({ source: 'text', text: answerText(parts) }, section, { locale: definition.locale });
    if (!parsed.ok) {
      // A refusal never rests on the cache: the answer as stored may read differently.
      if (attempt === 0) continue;
      await refuseSender(ctx, reply, {
        text: text.rejected(section.title, refusalOf(change, parsed.error.message, section, definition.locale)),
        locale: definition.locale,
      });
      return;
    }
    try {
      const recorded = await ctx.store.recordSubmission({
        ...key,
        platform: reply.sender.platform,
        eventId: reply.eventId,
        ...(reply.messageId ? { sourceMessageId: reply.messageId } : {}),
        rawText: reply.rawText,
        rawPayload: reply.rawPayload,
        parts,
        ...(change.kind === 'skip' ? { skipped: true } : {}),
        // Started over, and nothing new since: `重写`, or a change that leaves a started-over answer empty.
        ...(change.kind === 'clear' || (latest?.startedOver && parts.length === 0 && change.kind !== 'skip') ? { startedOver: true } : {}),
        content: parsed.content,
        // A reply kept in the spool while the store was down counts from when it arrived.
        receivedAt: reply.receivedAt ?? ctx.clock.now(),
        basedOnRevision: latest?.revision ?? 0,
      });
      stored = { revision: recorded.submission.revision, duplicate: recorded.duplicate, submission: recorded.submission };
    } catch (error) {
      if (!(error instanceof RevisionConflict)) throw error;
    }
  }
  if (!stored) throw new Error(`could not store ${reply.sender.platform}/${reply.eventId}: its answer kept changing`);
  // A platform retry or duplicate delivery: already stored and confirmed once.
  if (stored.duplicate) return;
  // A caching store marks a prompt once: marking it again changes nothing.
  await ctx.store.markPromptAnswered(key);

  // Read after storing: a report published before this answer landed must learn of it. A cached
  // cycle tells only once published (final); an open one is read again.
  const known = await ctx.store.getCycle(definition.id, week, CACHED);
  const cycle = known?.status === 'published' ? known : await ctx.store.getCycle(definition.id, week);
  const late = cycle?.status === 'published';
  // A start over after the report went out changes nothing posted, and tells no lead, until the
  // owner sends the new text: then that is the late answer, and the update runs once, with it.
  const startedOver = late && isPendingStartOver(stored.submission, cycle.firstPublishedAt);
  if (late && !startedOver) await answerLate(ctx, team, section, owner, week, holder);
  const merged = await sectionAnswersOf(ctx, team, section, week, stored.submission);
  const preview = compileSection(merged.section, merged.answers).markdown;
  // The preview is the part of the confirmation that reads as the report will: Markdown.
  const confirmation =
    change.kind === 'skip'
      ? text.skipped(section.title, preview)
      : change.kind === 'clear'
        ? text.cleared(section.title)
        : text.confirmed(section.title, stored.revision, preview) + metricsNote(section, merged.answers, definition.locale);
  const updates = definition.lateAnswers === 'update';
  const lateNote = !late
    ? ''
    : `\n\n${startedOver ? (change.kind === 'clear' ? text.startedOverAfterPublishing(week, updates) : text.stillStartedOver(week)) : text.lateAnswer(week, updates)}`;
  const delayedNote =
    reply.delayed && reply.receivedAt ? `${text.delayed(formatInZone(reply.receivedAt, definition.timeZone, 'M-d HH:mm', definition.locale))}\n\n` : '';
  // The confirmation carries the form, prefilled with the answer as it stands now: where the form
  // is part of the message (a Feishu card), the prompt's form still shows what it was sent with.
  const prefill = change.kind === 'skip' || change.kind === 'clear' ? '' : renderSectionBody(section, stored.submission.content);
  const answerForm = { teamId: definition.id, week, sectionId: section.id, title: section.title, prefill, locale: definition.locale };
  await answerSender(ctx, reply, { text: `${delayedNote}${confirmation}${lateNote}`, markdown: preview, answerForm, locale: definition.locale });
}

/**
 * What to tell the owner when the section, with this message in it, does not parse. The error's
 * line numbers count lines of the whole section (every message joined); when this message is
 * wrong on its own, its own error is clearer (“line 1”, not “line 55”). A message that is only
 * wrong together with the others (over the section's limit, say) gets the section's error.
 */
function refusalOf(change: AnswerChange, sectionError: string, section: SectionDefinition, locale: Locale): string {
  if (change.kind !== 'add' && change.kind !== 'edit') return sectionError;
  const alone = parseReply({ source: 'text', text: change.part.text }, section, { locale });
  return alone.ok ? sectionError : alone.error.message;
}

/** What the reply does to the answer. */
function changeOf(reply: IncomingReply, input: ReplyInput): AnswerChange {
  if (reply.deleted && reply.messageId) return { kind: 'delete', messageId: reply.messageId };
  const text = input.source === 'text' ? input.text : '';
  if (isSkip(text)) return { kind: 'skip' };
  if (isStartOver(text)) return { kind: 'clear' };
  const part = { text, rawText: reply.rawText };
  if (reply.form) return { kind: 'replace', part };
  if (reply.edited && reply.messageId) return { kind: 'edit', part: { ...part, messageId: reply.messageId } };
  return { kind: 'add', part: reply.messageId ? { ...part, messageId: reply.messageId } : part };
}

/** The reply as the parser reads it: text as it is, a platform's payload converted by that platform. */
function parserInput(ctx: BotContext, team: Team, reply: IncomingReply, input: ReplyInput | WireReply): ReplyInput {
  if (input.source === 'text' || input.source === 'unreadable') return input as ReplyInput;
  const { platform } = reply.sender;
  return replyInputOf(platformOf(ctx, platform).replyText(input, { userNames: peopleNames(ctx, team.definition, platform) }));
}

/**
 * The section as it is that week, and its answers as the report will merge them, for the
 * confirmation's preview (how the section will read in the report): the revision just stored, merged with everyone else's
 * answer to it that week as the report shows it (its other owners', and its usual owners' when it is handed over),
 * in the report's order (the section as it is that week), from the store's cache (another
 * replica's answer of the last few seconds may be missing from a preview; the report itself is
 * compiled from the store).
 */
async function sectionAnswersOf(
  ctx: BotContext,
  team: Team,
  section: SectionDefinition,
  week: string,
  stored: LatestSubmission,
): Promise<{ section: SectionDefinition; answers: LatestSubmission[] }> {
  const inWeek = (await sectionInWeek(ctx, team, week, section.id, CACHED)) ?? section;
  // Others' answers as the week shows them: one started over after publishing is still the posted one.
  const others = (await weekAnswers(ctx.store, stored.teamId, week, CACHED)).filter((s) => s.sectionId === section.id && s.owner !== stored.owner);
  return { section: inWeek, answers: [stored, ...others] };
}

/** Why the sender's change was not stored: the section is handed to someone else that week, or it is others'. */
function notTheirsText(team: Team, week: string, refused: NotTheirs, reply: IncomingReply): string {
  const { definition } = team;
  const text = messagesFor(definition.locale);
  const { section, handedTo } = refused;
  const names = (keys: readonly string[]) => keys.map((k) => displayName(definition, k)).join(definition.locale === 'en' ? ', ' : '、');
  const why = handedTo
    ? (reply.deleted ? text.handedOverDeleted : text.handedOver)(section.title, displayName(definition, handedTo), week, section.id)
    : (reply.deleted ? text.notWeekOwnerDeleted : text.notWeekOwner)(section.title, names(section.owners), week);
  // A form's text is in no chat message: the refusal gives it back, so that nothing typed is lost.
  return reply.form && reply.rawText.trim() !== '' ? `${why}\n\n${text.formTextKept(reply.rawText)}` : why;
}

/**
 * The declared metrics the section, as it now reads, does not give (what the export records as
 * metric problems): each with the line that would, and how to add it without losing anything.
 * The answer is stored all the same: a number is the owner's to give, not the bot's to demand.
 */
function metricsNote(section: SectionDefinition, answers: readonly LatestSubmission[], locale: Locale): string {
  const problems = sectionMetrics(section, answers)?.problems ?? [];
  if (problems.length === 0) return '';
  return `\n\n${messagesFor(locale).metricsNotRead(problems.map((p) => metricProblemMessage(p, locale)))}`;
}

async function matchTarget(ctx: BotContext, reply: IncomingReply, prompt: Prompt | null): Promise<Match> {
  const { platform } = reply.sender;

  if (reply.form) return matchForm(ctx, reply, reply.form);

  // An edit or deletion of a message that was stored: a new revision of the same answer.
  if ((reply.edited || reply.deleted) && reply.messageId) {
    const earlier = await ctx.store.findSubmissionBySourceMessage(platform, reply.messageId);
    const team = earlier && ctx.teams.find((t) => t.definition.id === earlier.teamId);
    const section = team?.definition.sections.find((s) => s.id === earlier?.sectionId);
    // Feishu's recall event does not say who recalled: only the sender (or a chat admin) can.
    const byOwner = team && earlier && (reply.sender.userId === '' ? reply.deleted : personKeyOf(ctx, team.definition, reply.sender) === earlier.owner);
    if (earlier && team && section && byOwner) {
      return { target: { team, section, owner: earlier.owner, week: earlier.week, input: reply.input } };
    }
    // Deleting a message that never was part of an answer changes nothing.
    if (reply.deleted) return { refusal: { text: '' } };
  }

  // A reply in the thread of (or quoting) the prompt: that prompt's section.
  if (prompt) {
    const team = ctx.teams.find((t) => t.definition.id === prompt.teamId);
    const section = team?.definition.sections.find((s) => s.id === prompt.sectionId);
    if (team && section && personKeyOf(ctx, team.definition, reply.sender) === prompt.owner) {
      return { target: { team, section, owner: prompt.owner, week: prompt.week, input: reply.input } };
    }
  }

  return matchByOwnership(ctx, reply);
}

async function matchForm(ctx: BotContext, reply: IncomingReply, form: NonNullable<IncomingReply['form']>): Promise<Match> {
  const owned = await ownedSection(ctx, reply.sender, form);
  if (owned) return { target: { ...owned, week: form.week, input: reply.input } };
  // Someone of the team writing a section of it that is not theirs this week: handleReply says whose it is.
  const team = ctx.teams.find((t) => t.definition.id === form.teamId);
  const person = team && personKeyOf(ctx, team.definition, reply.sender);
  const section = team?.definition.sections.find((s) => s.id === form.sectionId);
  if (team && person && section) return { target: { team, section, owner: person, week: form.week, input: reply.input } };
  return { refusal: { text: messagesFor(team?.definition.locale ?? 'zh-CN').notAnOwner } };
}

/**
 * A message outside any thread: the owner's one pending section, or the section whose id they put
 * alone on the first line. With several candidates, they are asked which one.
 */
async function matchByOwnership(ctx: BotContext, reply: IncomingReply): Promise<Match> {
  // The sections the sender owns in the week the message is for (a section handed to them that
  // week included), and those of theirs handed to someone else (`handedAway`): handleReply refuses
  // a message for one of those, saying whose it is.
  const owned: { team: Team; section: SectionDefinition; owner: string; week: string; handedAway: boolean }[] = [];
  const at = reply.receivedAt ?? ctx.clock.now();
  for (const { team, person } of membershipsOf(ctx, reply.sender)) {
    // The week the message is for: this one, or the next once a lead opened it early.
    const { week } = await activeWeek(ctx, team.definition, at);
    const sections: SectionInWeek[] = (await teamInWeek(ctx, team, week, CACHED)).definition.sections;
    for (const section of sections) {
      const handedAway = !section.owners.includes(person) && (section.usualOwners?.includes(person) ?? false);
      if (section.owners.includes(person) || handedAway) owned.push({ team, section, owner: person, week, handedAway });
    }
  }
  const locale = owned[0]?.team.definition.locale ?? ctx.teams[0]?.definition.locale ?? 'zh-CN';
  const text = messagesFor(locale);
  if (owned.length === 0) return { refusal: { text: text.notAnOwner } };

  // Only weeks that are open count: a reply before the week opens is not stored.
  const open: ((typeof owned)[number] & { latest: LatestSubmission | null; answered: boolean; lastAt: number })[] = [];
  for (const candidate of owned) {
    const { team, week, section, owner } = candidate;
    if (!(await ctx.store.getCycle(team.definition.id, week, CACHED))) continue;
    const latest = await ctx.store.latestSubmission({ teamId: team.definition.id, week, sectionId: section.id, owner }, CACHED);
    open.push({ ...candidate, latest, answered: latest !== null, lastAt: latest?.receivedAt.getTime() ?? 0 });
  }
  if (open.length === 0) {
    // When it opens while that is to come; never a moment past.
    const { definition } = owned[0]!.team;
    const { week } = await activeWeek(ctx, definition, at);
    return { refusal: { text: text.notOpen(definition.name, notOpenReason(definition, week, ctx.clock.now())) } };
  }

  const named = pickByFirstLine(reply.rawText, open);
  if (named) {
    const { team, section, owner, week, latest } = named.candidate;
    return { target: { team, section, owner, week, latest, input: { source: 'text', text: named.rest } } };
  }

  // Only sections handed away: the message is for one of them (and is refused, saying to whom).
  const mine = open.filter((o) => !o.handedAway);
  if (mine.length === 0) {
    const { team, section, owner, week } = open[0]!;
    return { target: { team, section, owner, week, input: reply.input } };
  }
  // Owners press Enter between lines: a message soon after the last one continues that answer.
  const now = ctx.clock.now().getTime();
  const continuing = mine.filter((o) => o.answered && now - o.lastAt <= CONTINUE_WINDOW_MS).sort((a, b) => b.lastAt - a.lastAt)[0];
  const pending = mine.filter((o) => !o.answered);
  const only = continuing ?? (pending.length === 1 ? pending[0] : mine.length === 1 ? mine[0] : undefined);
  if (only) return { target: { team: only.team, section: only.section, owner: only.owner, week: only.week, latest: only.latest, input: reply.input } };
  return { refusal: { text: text.whichSection(options(mine)) } };
}

/** How long after an owner's last message a direct message (outside any thread) still adds to the same answer. */
const CONTINUE_WINDOW_MS = 15 * 60_000;

function options(open: { section: SectionDefinition }[]): { id: string; title: string }[] {
  return open.map((o) => ({ id: o.section.id, title: o.section.title }));
}

/**
 * "o1" (or "o1:" / "【O1 业务服务】") alone on the first line names the section; the rest is the
 * reply. Only used when the owner has several open sections.
 */
function pickByFirstLine<T extends { section: SectionDefinition }>(raw: string, open: T[]): { candidate: T; rest: string } | null {
  if (open.length < 2) return null;
  const [first = '', ...rest] = raw.replace(/^\uFEFF/, '').split(/\r?\n/);
  const label = first
    .trim()
    .replace(/[:：]$/, '')
    .trim();
  const candidate = open.find((o) => o.section.id === label.toLowerCase() || o.section.title === label);
  return candidate ? { candidate, rest: rest.join('\n') } : null;
}

import type { OutgoingMessage, IncomingReply } from '../src/platforms/platform.ts';
import type { SectionDefinition, TeamReport } from '../src/report/definition.ts';
import { mergeContents } from '../src/report/compile.ts';
import { parseReply, type ReplyInput } from '../src/report/parse/index.ts';
import { renderSectionMarkdown } from '../src/report/render/section-markdown.ts';
import { isoWeekOf } from '../src/report/week.ts';
import { platformOf, type BotContext } from './context.ts';
import { messagesFor } from './messages.ts';
import { membershipsOf, ownedSection, peopleNames, personKeyOf } from './people.ts';
import { formatMoment } from './schedule-text.ts';

/** The section a reply is for, once matched. */
interface Target {
  team: TeamReport;
  section: SectionDefinition;
  owner: string;
  week: string;
  input: ReplyInput;
}

type Match = { target: Target } | { refusal: OutgoingMessage };

/**
 * A direct message, thread reply, form submission or edit from a person: matched to the section
 * it answers, parsed, stored as a new revision (raw text first), then confirmed with a preview.
 * A rejected reply changes nothing and says what to fix.
 */
export async function handleReply(ctx: BotContext, reply: IncomingReply): Promise<void> {
  const match = await matchTarget(ctx, reply);
  if ('refusal' in match) {
    await refuse(ctx, reply, match.refusal);
    return;
  }
  const { team, section, owner, week, input } = match.target;
  const { definition } = team;
  const text = messagesFor(definition.locale);

  const parsed = parseReply(input, section, { locale: definition.locale, userNames: peopleNames(definition, reply.sender.platform) });
  if (!parsed.ok) {
    await refuse(ctx, reply, { text: text.rejected(section.title, parsed.error.message) });
    return;
  }

  const recorded = await ctx.store.recordSubmission({
    reportId: definition.id,
    week,
    sectionId: section.id,
    owner,
    platform: reply.sender.platform,
    eventId: reply.eventId,
    sourceMessageId: reply.messageId,
    rawText: reply.rawText,
    rawPayload: reply.rawPayload,
    content: parsed.content,
    receivedAt: ctx.clock.now(),
  });
  // A platform retry or duplicate delivery: already stored and confirmed once.
  if (recorded.duplicate) return;
  await ctx.store.markPromptAnswered({ reportId: definition.id, week, sectionId: section.id, owner });

  const preview = await previewSection(ctx, team, section, week);
  // The preview is the part of the confirmation that reads as the report will: Markdown.
  await answer(ctx, reply, { text: text.confirmed(section.title, recorded.submission.revision, preview), markdown: preview });
}

/** The section as it will read in the report, with every owner's latest revision merged. */
export async function previewSection(ctx: BotContext, team: TeamReport, section: SectionDefinition, week: string): Promise<string> {
  const latest = await ctx.store.latestSubmissions(team.definition.id, week);
  const ordered = section.owners.flatMap((o) => latest.filter((s) => s.sectionId === section.id && s.owner === o));
  return renderSectionMarkdown(section, mergeContents(section, ordered.map((s) => s.content)));
}

async function matchTarget(ctx: BotContext, reply: IncomingReply): Promise<Match> {
  const { platform } = reply.sender;

  if (reply.form) return matchForm(ctx, reply, reply.form);

  // An edit of a message that was stored: a new revision of the same section.
  if (reply.edited && reply.messageId) {
    const earlier = await ctx.store.findSubmissionBySourceMessage(platform, reply.messageId);
    const team = earlier && ctx.teams.find((t) => t.definition.id === earlier.reportId);
    const section = team?.definition.sections.find((s) => s.id === earlier?.sectionId);
    if (earlier && team && section && personKeyOf(team.definition, reply.sender) === earlier.owner) {
      return { target: { team, section, owner: earlier.owner, week: earlier.week, input: reply.input } };
    }
  }

  // A reply in the thread of (or quoting) the prompt: that prompt's section.
  if (reply.replyTo) {
    const prompt = await ctx.store.findPromptByMessage(platform, reply.replyTo);
    const team = prompt && ctx.teams.find((t) => t.definition.id === prompt.reportId);
    const section = team?.definition.sections.find((s) => s.id === prompt?.sectionId);
    if (prompt && team && section && personKeyOf(team.definition, reply.sender) === prompt.owner) {
      return { target: { team, section, owner: prompt.owner, week: prompt.week, input: reply.input } };
    }
  }

  return matchByOwnership(ctx, reply);
}

async function matchForm(ctx: BotContext, reply: IncomingReply, form: NonNullable<IncomingReply['form']>): Promise<Match> {
  const owned = ownedSection(ctx, reply.sender, form);
  if (!owned) {
    const locale = ctx.teams.find((t) => t.definition.id === form.reportId)?.definition.locale ?? 'zh-CN';
    return { refusal: { text: messagesFor(locale).notAnOwner } };
  }
  return { target: { ...owned, week: form.week, input: reply.input } };
}

/**
 * A message outside any thread: the owner's one pending section, or the section whose id they put
 * alone on the first line. With several candidates, they are asked which one.
 */
async function matchByOwnership(ctx: BotContext, reply: IncomingReply): Promise<Match> {
  const owned = membershipsOf(ctx, reply.sender).flatMap(({ team, person }) =>
    team.definition.sections.filter((s) => s.owners.includes(person)).map((section) => ({ team, section, owner: person })),
  );
  const locale = owned[0]?.team.definition.locale ?? ctx.teams[0]?.definition.locale ?? 'zh-CN';
  const text = messagesFor(locale);
  if (owned.length === 0) return { refusal: { text: text.notAnOwner } };

  // Only weeks that are open count: a reply before the week opens is not stored.
  const open: (typeof owned[number] & { week: string; answered: boolean })[] = [];
  for (const candidate of owned) {
    const week = isoWeekOf(ctx.clock.now(), candidate.team.definition.timeZone);
    const cycle = await ctx.store.getCycle(candidate.team.definition.id, week);
    if (!cycle) continue;
    const history = await ctx.store.submissionHistory({ reportId: candidate.team.definition.id, week, sectionId: candidate.section.id, owner: candidate.owner });
    open.push({ ...candidate, week, answered: history.length > 0 });
  }
  if (open.length === 0) {
    const team = owned[0]!.team;
    const week = isoWeekOf(ctx.clock.now(), team.definition.timeZone);
    return { refusal: { text: text.notOpen(team.definition.name, formatMoment(team.definition, week, team.definition.schedule.open)) } };
  }

  const named = pickByFirstLine(reply.rawText, open);
  if (named) {
    const { team, section, owner, week } = named.candidate;
    return { target: { team, section, owner, week, input: { source: 'text', text: named.rest } } };
  }

  const pending = open.filter((o) => !o.answered);
  const only = pending.length === 1 ? pending[0] : open.length === 1 ? open[0] : undefined;
  if (only) return { target: { team: only.team, section: only.section, owner: only.owner, week: only.week, input: reply.input } };
  return { refusal: { text: text.whichSection(options(open)) } };
}

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
  const label = first.trim().replace(/[:：]$/, '').trim();
  const candidate = open.find((o) => o.section.id === label.toLowerCase() || o.section.title === label);
  return candidate ? { candidate, rest: rest.join('\n') } : null;
}

/**
 * A refusal stores nothing, so a platform's repeated delivery of the same event would refuse
 * twice: the event id is remembered first. (Stored replies are de-duplicated by the store itself,
 * so that a crash between remembering and storing can never lose one.)
 */
async function refuse(ctx: BotContext, reply: IncomingReply, message: OutgoingMessage): Promise<void> {
  if (!(await ctx.store.markEventSeen(reply.sender.platform, `refused:${reply.eventId}`, ctx.clock.now()))) return;
  await answer(ctx, reply, message);
}

/** Answers where the person wrote: in the thread they replied in, or in the DM. */
async function answer(ctx: BotContext, reply: IncomingReply, message: OutgoingMessage): Promise<void> {
  const platform = platformOf(ctx, reply.sender.platform);
  try {
    if (reply.replyTo) await platform.replyInThread({ channel: reply.channel, messageId: reply.replyTo }, message);
    else if (reply.form) await platform.sendDirect(reply.sender.userId, message);
    else await platform.postToChannel(reply.channel, message);
  } catch (error) {
    // What was stored stays stored; only the confirmation is lost, and it is logged.
    ctx.logger.error({ err: error, platform: reply.sender.platform, user: reply.sender.userId }, 'could not answer a reply');
  }
}

import { createHash } from 'node:crypto';
import type { ChatPlatform, MessageRef } from '../../src/platforms/platform.ts';
import { compileReport, type CompiledReport } from '../../src/report/compile.ts';
import { weekStanding, type WeekStanding } from '../../src/report/section-answers.ts';
import type { TeamDefinition, Team } from '../../src/report/definition.ts';
import type { Cycle, LatestSubmission, PlatformName, PostedMessage } from '../../src/store/store.ts';
import { platformOf, runningPlatforms, type BotContext } from '../../src/bot/context.ts';
import { acrossWeeksDigest } from './digest-metrics.ts';
import { postDigestChart, publishedChart } from './digest-chart.ts';
import { documentLinkLines, ensureReportDocuments, fillReportDocuments } from './report-documents.ts';
import { messagesFor } from '../texts/messages.ts';
import { displayName } from '../owners/people.ts';
import { goalReviewsOfWeek } from './goals.ts';
import { weekAnswers } from './week-answers.ts';
import { awayInWeek } from '../owners/away.ts';
import { teamInWeek } from '../owners/people.ts';
import { momentInWeek } from '../../src/report/week.ts';

/**
 * The week's report compiled from the latest revision of every answer (as posted, while one is
 * started over: week-answers.ts), with the cycle's creation time: `preview`, `week`, and every
 * publication (scheduled, a lead's, a late answer's). The team as it is that week (teamInWeek), so
 * that a section handed over prints its answers in the one order every preview uses (answerOrder)
 * and counts whom it was handed to as its owner.
 */
export async function compileWeek(ctx: BotContext, team: Team, cycle: Cycle, answers?: readonly LatestSubmission[]): Promise<CompiledReport> {
  const read = answers ?? (await weekAnswers(ctx.store, team.definition.id, cycle.week));
  const goalReviews = await goalReviewsOfWeek(ctx.store, team.definition, cycle.week);
  return compileReport({ team: await teamInWeek(ctx, team, cycle.week), week: cycle.week, createdAt: cycle.createdAt, answers: read, goalReviews });
}

/** Where a team's report is posted, among the platforms running, in the modules' order. */
export function reportChannels(ctx: BotContext, definition: TeamDefinition): { platform: PlatformName; channel: string }[] {
  return runningPlatforms(ctx).flatMap(({ module }) => {
    const channel = module.reportChannel(definition);
    return channel ? [{ platform: module.name, channel }] : [];
  });
}

export type PublishOutcome =
  | { status: 'published'; updated: boolean }
  | { status: 'no-cycle' }
  /** Another replica (or a lead's command) is publishing the first copy right now. */
  | { status: 'in-progress' };

const FIRST_PUBLISH_LEASE_MS = 10 * 60_000;
/** How long a publication stays its holder's: posting and uploading take seconds; a crashed holder's is redone after this. */
const PUBLICATION_LEASE_MS = 5 * 60_000;
/** Republishes in a row for changes that arrived while we were posting (see publishWeek). */
const CATCH_UP_ROUNDS = 2;

/**
 * Posts the week's digest to the team's channel(s): a header (week, sections submitted, who is
 * missing), the report in the header's thread, and the `.md` file. Publishing again updates the
 * posted messages in place, and attaches the file again only when the report changed. The first
 * publication is claimed in the store, so two replicas (or the Friday job and a lead) post once;
 * so is every republish, for the content it posts: two replicas, or a replayed command, update
 * each message and upload the file once, and publishing content already posted does nothing.
 */
export async function publishWeek(ctx: BotContext, team: Team, week: string, holder: string): Promise<PublishOutcome> {
  // A report document that failed to be created is tried again by the next publication, not by the rounds of this one.
  const documentFailures = new Set<PlatformName>();
  const { posted, ...outcome } = await publishOnce(ctx, team, week, holder, documentFailures);
  // A change that arrived while we posted found our claim busy and left it to us: post it now.
  for (let round = 0; posted && round < CATCH_UP_ROUNDS; round++) {
    if (!(await publishOnce(ctx, team, week, holder, documentFailures)).posted) break;
  }
  return outcome;
}

/** One publication; `posted` when this call posted or updated anything. */
async function publishOnce(
  ctx: BotContext,
  team: Team,
  week: string,
  holder: string,
  documentFailures: Set<PlatformName>,
): Promise<PublishOutcome & { posted: boolean }> {
  const { definition } = team;
  const cycle = await ctx.store.getCycle(definition.id, week);
  if (!cycle) return { status: 'no-cycle', posted: false };

  const key = { teamId: definition.id, week, job: 'publish' as const };
  const firstTime = cycle.posts.length === 0;
  const claimed = firstTime && (await ctx.store.claimJobRun(key, holder, ctx.clock.now(), FIRST_PUBLISH_LEASE_MS));
  if (firstTime && !claimed && !(await ctx.store.isJobRunDone(key))) return { status: 'in-progress', posted: false };

  // Re-read: the posts may have been recorded by whoever held the claim before us.
  const current = (await ctx.store.getCycle(definition.id, week)) ?? cycle;
  const answers = await weekAnswers(ctx.store, definition.id, week);
  const report = await compileWeek(ctx, team, current, answers);
  const weekTeam = await teamInWeek(ctx, team, week);
  const standing = weekStanding(weekTeam.definition, answers, await awayInWeek(ctx, definition, week));
  // Before the header, which links them: the first digest has the links, and later ones the same links.
  const documents = await ensureReportDocuments(ctx, team, report, holder, documentFailures);
  const header = [
    digestHeader(definition, report.title, standing) + updatedNote(team, answers, current.firstPublishedAt),
    ...documentLinkLines(definition, documents),
    ...(await acrossWeeksDigest(ctx, team, week, answers)),
    ...archiveLine(ctx, definition, week),
  ].join('\n');
  // Claimed for what it will post (an insert under a unique index: FerretDB's updates are not atomic).
  const targets = reportChannels(ctx, definition);
  const contentHash = createHash('sha256').update(JSON.stringify(targets)).update(header).update('\0').update(report.markdown).digest('hex');
  const publication = await ctx.store.claimPublication(definition.id, week, contentHash, holder, ctx.clock.now(), PUBLICATION_LEASE_MS);
  if (publication.status !== 'claimed') {
    if (claimed) await ctx.store.releaseJobRun(key, holder);
    return publication.status === 'busy' ? { status: 'in-progress', posted: false } : { status: 'published', updated: current.posts.length > 0, posted: false };
  }
  const posts: PostedMessage[] = [];
  let failed = false;
  for (const target of targets) {
    const previous = current.posts.filter((p) => p.platform === target.platform && p.channel === target.channel);
    try {
      posts.push(...(await postDigest(platformOf(ctx, target.platform), target, report, header, previous)));
    } catch (error) {
      // Keep what was posted so far: the next publish updates it instead of posting again.
      posts.push(...previous);
      failed = true;
      ctx.logger.error({ err: error, report: definition.id, week, platform: target.platform }, 'publishing failed on one platform');
    }
  }
  await ctx.store.markPublished(definition.id, week, posts, ctx.clock.now());
  // A platform that failed is given another go by the next publish, of the same content too.
  if (failed) await ctx.store.releasePublication(publication.claim, holder);
  else await ctx.store.finishPublication(publication.claim, holder, ctx.clock.now());
  if (claimed) await ctx.store.finishJobRun(key, holder, ctx.clock.now());
  // Made once for both: the digest's thread and the report documents show the same chart.
  const chart = await publishedChart(ctx, team, week);
  await postDigestChart(ctx, team, week, posts, holder, chart);
  // After the chat publication, which never waits for them; once per content, as this publication's claim is.
  await fillReportDocuments(ctx, team, report, documents, holder, chart);
  return { status: 'published', updated: current.posts.length > 0, posted: !failed };
}

/**
 * The week's page in the web archive, when it is on: a week link (the channel's members read it;
 * the team's other pages are for leads). Its expiry counts from the week's scheduled publish time,
 * not from now, so that the header is the same text, and its content hash the same, every time
 * the week is published again.
 */
function archiveLine(ctx: BotContext, definition: TeamDefinition, week: string): string[] {
  if (!ctx.archive) return [];
  const exp = ctx.archive.expiryFrom(momentInWeek(week, definition.schedule.publish, definition.timeZone));
  return [messagesFor(definition.locale).digestArchiveLink(ctx.archive.weekLink(definition.id, week, exp))];
}

/** The sections changed after the report was first posted, as the header says it: "(updated after publishing: …)". */
function updatedNote(team: Team, answers: readonly LatestSubmission[], firstPublishedAt: Date | undefined): string {
  if (!firstPublishedAt) return '';
  const changed = new Set(answers.filter((a) => a.receivedAt > firstPublishedAt).map((a) => a.sectionId));
  if (changed.size === 0) return '';
  const titles = team.definition.sections.filter((s) => changed.has(s.id)).map((s) => s.title);
  return messagesFor(team.definition.locale).updatedAfterPublishing(titles);
}

/**
 * Week, sections submitted (answered or skipped, as `status` counts them), who owes a section
 * nobody answered; people away (`/weekly-report away`) are listed as away, not missing.
 */
function digestHeader(definition: TeamDefinition, title: string, standing: WeekStanding): string {
  const names = (keys: string[]) => [...new Set(keys)].map((k) => displayName(definition, k));
  return messagesFor(definition.locale).digestHeader(definition.name, title, {
    submitted: standing.submitted,
    total: standing.sections.length,
    skipped: standing.counts.skipped,
    missing: names(standing.sections.flatMap((s) => s.missing)),
    away: names(standing.sections.flatMap((s) => s.away)),
  });
}

async function postDigest(
  platform: ChatPlatform,
  target: { platform: PlatformName; channel: string },
  report: CompiledReport,
  headerText: string,
  previous: PostedMessage[],
): Promise<PostedMessage[]> {
  const posted = (role: PostedMessage['role'], index: number, ref: MessageRef, contentHash?: string): PostedMessage => ({
    platform: target.platform,
    channel: ref.channel,
    messageId: ref.messageId,
    role,
    index,
    ...(contentHash ? { contentHash } : {}),
  });
  const find = (role: PostedMessage['role'], index: number) => previous.find((p) => p.role === role && p.index === index);
  const idempotencyKey = (part: string) => `digest:${report.teamId}:${report.week}:${part}`;
  const out: PostedMessage[] = [];

  const oldHeader = find('header', 0);
  let headerRef: MessageRef;
  if (oldHeader) {
    headerRef = { channel: oldHeader.channel, messageId: oldHeader.messageId };
    await platform.updateMessage(headerRef, { text: headerText });
  } else {
    headerRef = await platform.postToChannel(target.channel, { text: headerText }, { idempotencyKey: idempotencyKey('header') });
  }
  out.push(posted('header', 0, headerRef));

  const parts = platform.renderReport(report);
  for (const [i, part] of parts.entries()) {
    const old = find('body', i);
    if (old) {
      await platform.updateMessage({ channel: old.channel, messageId: old.messageId }, part);
      out.push(old);
    } else {
      out.push(posted('body', i, await platform.replyInThread(headerRef, part, { idempotencyKey: idempotencyKey(`body:${i}`) })));
    }
  }
  // A shorter report than last time: the parts past its end are emptied, not left stale.
  for (const old of previous.filter((p) => p.role === 'body' && p.index >= parts.length)) {
    await platform.updateMessage({ channel: old.channel, messageId: old.messageId }, { text: '—' });
    out.push(old);
  }

  const hash = createHash('sha256').update(report.markdown).digest('hex');
  const files = previous.filter((p) => p.role === 'file');
  const lastFile = files.at(-1);
  out.push(...files);
  if (lastFile?.contentHash !== hash) {
    const ref = await platform.uploadFile(
      target.channel,
      { filename: `${report.teamId}-${report.week}.md`, title: report.title, content: report.markdown },
      headerRef,
    );
    out.push(posted('file', files.length, ref, hash));
  }
  return out;
}

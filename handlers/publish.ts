import { createHash } from 'node:crypto';
import type { ChatPlatform, MessageRef } from '../src/platforms/platform.ts';
import { compileReport, type CompiledReport } from '../src/report/compile.ts';
import type { TeamDefinition, TeamReport } from '../src/report/definition.ts';
import type { Cycle, PlatformName, PostedMessage } from '../src/store/store.ts';
import { platformOf, type BotContext } from './context.ts';
import { messagesFor } from './messages.ts';
import { displayName } from './people.ts';

/** The week's report compiled from the latest revision of every answer, with the cycle's creation time. */
export async function compileWeek(ctx: BotContext, team: TeamReport, cycle: Cycle): Promise<CompiledReport> {
  const answers = await ctx.store.latestSubmissions(team.definition.id, cycle.week);
  return compileReport({ team, week: cycle.week, createdAt: cycle.createdAt, answers });
}

/** Where a team's report is posted, among the platforms running. On the console: `#<report id>`. */
export function reportChannels(ctx: BotContext, definition: TeamDefinition): { platform: PlatformName; channel: string }[] {
  const targets: { platform: PlatformName; channel: string }[] = [];
  if (ctx.platforms.slack && definition.post.slack) targets.push({ platform: 'slack', channel: definition.post.slack.channel });
  if (ctx.platforms.feishu && definition.post.feishu) targets.push({ platform: 'feishu', channel: definition.post.feishu.chatId });
  if (ctx.platforms.console) targets.push({ platform: 'console', channel: `#${definition.id}` });
  return targets;
}

export type PublishOutcome =
  | { status: 'published'; updated: boolean }
  | { status: 'no-cycle' }
  /** Another replica (or a lead's command) is publishing the first copy right now. */
  | { status: 'in-progress' };

const FIRST_PUBLISH_LEASE_MS = 10 * 60_000;

/**
 * Posts the week's digest to the team's channel(s): a header (week, sections submitted, who is
 * missing), the report in the header's thread, and the `.md` file. Publishing again updates the
 * posted messages in place, and attaches the file again only when the report changed. The first
 * publication is claimed in the store, so two replicas (or the Friday job and a lead) post once.
 */
export async function publishWeek(ctx: BotContext, team: TeamReport, week: string, holder: string): Promise<PublishOutcome> {
  const { definition } = team;
  const cycle = await ctx.store.getCycle(definition.id, week);
  if (!cycle) return { status: 'no-cycle' };

  const key = { reportId: definition.id, week, job: 'publish' as const };
  const firstTime = cycle.posts.length === 0;
  const claimed = firstTime && (await ctx.store.claimJobRun(key, holder, ctx.clock.now(), FIRST_PUBLISH_LEASE_MS));
  if (firstTime && !claimed && !(await ctx.store.isJobRunDone(key))) return { status: 'in-progress' };

  // Re-read: the posts may have been recorded by whoever held the claim before us.
  const current = (await ctx.store.getCycle(definition.id, week)) ?? cycle;
  const report = await compileWeek(ctx, team, current);
  const header = digestHeader(definition, report);
  const posts: PostedMessage[] = [];
  for (const target of reportChannels(ctx, definition)) {
    const previous = current.posts.filter((p) => p.platform === target.platform && p.channel === target.channel);
    try {
      posts.push(...(await postDigest(platformOf(ctx, target.platform), target, report, header, previous)));
    } catch (error) {
      // Keep what was posted so far: the next publish updates it instead of posting again.
      posts.push(...previous);
      ctx.logger.error({ err: error, report: definition.id, week, platform: target.platform }, 'publishing failed on one platform');
    }
  }
  await ctx.store.markPublished(definition.id, week, posts, ctx.clock.now());
  if (claimed) await ctx.store.finishJobRun(key, holder, ctx.clock.now());
  return { status: 'published', updated: current.posts.length > 0 };
}

function digestHeader(definition: TeamDefinition, report: CompiledReport): string {
  const total = report.sections.length;
  const submitted = report.sections.filter((s) => s.answeredBy.length > 0).length;
  const missing = [...new Set(report.sections.flatMap((s) => s.missing))].map((k) => displayName(definition, k));
  return messagesFor(definition.locale).digestHeader(definition.name, report.title, submitted, total, missing);
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
  const idempotencyKey = (part: string) => `digest:${report.reportId}:${report.week}:${part}`;
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
      { filename: `${report.reportId}-${report.week}.md`, title: report.title, content: report.markdown },
      headerRef,
    );
    out.push(posted('file', files.length, ref, hash));
  }
  return out;
}

import type { BotContext } from '../../src/bot/context.ts';
import { platformOf, runningPlatforms } from '../../src/bot/context.ts';
import type { ReportDocumentRef, ReportDocuments } from '../../src/platforms/platform.ts';
import { ReportDocumentError, type ReportDocumentProblem } from '../../src/platforms/report-document-error.ts';
import type { CompiledReport } from '../../src/report/compile.ts';
import type { Team, TeamDefinition } from '../../src/report/definition.ts';
import type { JobRunKey, PlatformName } from '../../src/store/store.ts';
import { displayName, reachOf } from '../owners/people.ts';
import { messagesFor } from '../texts/messages.ts';
import type { DigestChart } from './digest-chart.ts';

/** As long as creating one document can take, rate-limit waits included; a crashed creator's claim expires after it. */
const CREATE_LEASE_MS = 10 * 60_000;
/** The leads are told of a week's failing document once: the claim is kept for good. */
const TOLD_LEASE_MS = 10 * 60_000;

/** The week's document on one platform, as the digest links it and a publication fills it. */
export interface WeekDocument {
  platform: PlatformName;
  label: string;
  ref: ReportDocumentRef;
}

/**
 * The week's report documents (a Slack canvas, a Feishu docx) of the team, one per running platform
 * whose module reads options for it from the team's definition and whose ChatPlatform can make one,
 * created now where they do not exist yet. Called by each publication before it writes the digest
 * header, so that the first digest links them.
 *
 * Creating is claimed in the store (an insert under a unique index, as for the week's publication),
 * so two replicas, a replay or a restart create a week's document once; its ref is recorded before
 * the claim is finished, so whoever finds the claim done finds the ref. (A creator that crashes
 * between the platform's answer and the record leaves that document behind; the claim's lease
 * expires and the next publication creates another.) A document another replica is creating right
 * now is left out of this publication: the chat publication never waits for a document.
 *
 * Never throws. A failure is logged, told to the leads once (tellLeadsOnce), and the claim given
 * back, so that the next publication tries again.
 */
export async function ensureReportDocuments(
  ctx: BotContext,
  team: Team,
  report: CompiledReport,
  holder: string,
  /** Platforms whose creation failed earlier in the same publication (its catch-up rounds): not tried again; failures are added. */
  failedBefore: Set<PlatformName> = new Set(),
): Promise<WeekDocument[]> {
  const { definition } = team;
  const week = report.week;
  const out: WeekDocument[] = [];
  try {
    const wanted = documentPlatforms(ctx, definition);
    if (wanted.length === 0) return [];
    let recorded = await ctx.store.listReportDocuments(definition.id, week);
    for (const { platform, documents, channel, options } of wanted) {
      const known = recorded.find((d) => d.platform === platform);
      if (known) {
        out.push({ platform, label: documents.label, ref: { id: known.id, url: known.url } });
        continue;
      }
      if (failedBefore.has(platform)) continue;
      const key = documentRunKey(definition.id, week, platform, 'create');
      if (!(await ctx.store.claimJobRun(key, holder, ctx.clock.now(), CREATE_LEASE_MS))) {
        // Created meanwhile by the claim's holder (its record lands before its claim is done), or still being created.
        recorded = await ctx.store.listReportDocuments(definition.id, week);
        const theirs = recorded.find((d) => d.platform === platform);
        if (theirs) out.push({ platform, label: documents.label, ref: { id: theirs.id, url: theirs.url } });
        continue;
      }
      try {
        const ref = await documents.create({ teamId: definition.id, week, title: report.title, channel, options });
        const record = await ctx.store.recordReportDocument({ teamId: definition.id, week, platform, id: ref.id, url: ref.url, createdAt: ctx.clock.now() });
        await ctx.store.finishJobRun(key, holder, ctx.clock.now());
        out.push({ platform, label: documents.label, ref: { id: record.id, url: record.url } });
      } catch (error) {
        failedBefore.add(platform);
        await ctx.store.releaseJobRun(key, holder).catch(() => {});
        await failed(ctx, definition, week, platform, documents.label, holder, error, 'creating the week’s report document failed');
      }
    }
  } catch (error) {
    ctx.logger.error({ err: error, report: definition.id, week }, 'the week’s report documents could not be looked up');
  }
  return out;
}

/**
 * Replaces the content of each of the week's documents with the report and the digest's chart (when
 * the team has one). Called once per content by the replica that claimed the publication: a lead's
 * republish or a late answer's fills the same documents again. Never throws: a failure is logged
 * and told to the leads once, and the next publication that posts (new content) fills it again.
 */
export async function fillReportDocuments(
  ctx: BotContext,
  team: Team,
  report: CompiledReport,
  documents: readonly WeekDocument[],
  holder: string,
  /** The digest's chart (publishedChart), made once per publication. */
  chart: DigestChart | null,
): Promise<void> {
  if (documents.length === 0) return;
  const { definition } = team;
  const charts = chart ? [chart.render()] : [];
  for (const document of documents) {
    const implementation = ctx.platforms[document.platform]?.reportDocuments;
    if (!implementation) continue;
    try {
      await implementation.replace(document.ref, { report, charts });
    } catch (error) {
      await failed(ctx, definition, report.week, document.platform, document.label, holder, error, 'filling the week’s report document failed');
    }
  }
}

/** The digest header's lines linking the week's documents, in the team's locale. */
export function documentLinkLines(definition: TeamDefinition, documents: readonly WeekDocument[]): string[] {
  const text = messagesFor(definition.locale);
  return documents.map((d) => text.reportDocumentLink(d.label, d.ref.url));
}

/** The platforms where the team wants a document and can have one, in the modules' order. */
function documentPlatforms(
  ctx: BotContext,
  definition: TeamDefinition,
): { platform: PlatformName; documents: ReportDocuments; channel: string; options: object }[] {
  return runningPlatforms(ctx).flatMap(({ module, platform }) => {
    const options = module.reportDocumentOptions?.(definition) ?? null;
    const channel = module.reportChannel(definition);
    const documents = platform.reportDocuments;
    return options && channel && documents ? [{ platform: module.name, documents, channel, options }] : [];
  });
}

async function failed(
  ctx: BotContext,
  definition: TeamDefinition,
  week: string,
  platform: PlatformName,
  label: string,
  holder: string,
  error: unknown,
  what: string,
): Promise<void> {
  ctx.logger.error({ err: error, report: definition.id, week, platform }, `${what}; the chat publication goes on and the next one tries again`);
  await tellLeadsOnce(ctx, definition, week, platform, label, holder, error).catch((tellError: unknown) =>
    ctx.logger.error({ err: tellError, report: definition.id, week, platform }, 'could not tell the leads about the report document'),
  );
}

/**
 * Tells each lead, by direct message, why the week's document failed and what to do: once per
 * week and platform, whatever fails after (a claim in the store, kept once told, so two replicas
 * or the next publications of the week do not repeat it).
 */
async function tellLeadsOnce(
  ctx: BotContext,
  definition: TeamDefinition,
  week: string,
  platform: PlatformName,
  label: string,
  holder: string,
  error: unknown,
): Promise<void> {
  const key = documentRunKey(definition.id, week, platform, 'told');
  if (!(await ctx.store.claimJobRun(key, holder, ctx.clock.now(), TOLD_LEASE_MS))) return;
  const { problem, detail } = describe(error);
  const text = messagesFor(definition.locale).reportDocumentFailed(label, week, detail, problem);
  let told = 0;
  for (const lead of definition.leads) {
    const reach = reachOf(ctx, definition, lead);
    if (!reach) continue;
    try {
      await platformOf(ctx, reach.platform).sendDirect(reach.userId, { text, locale: definition.locale });
      told++;
    } catch (dmError) {
      ctx.logger.error({ err: dmError, report: definition.id, week, lead: displayName(definition, lead) }, 'could not tell a lead about the report document');
    }
  }
  // Nobody reached: the next failure tries again rather than staying silent for the week.
  if (told === 0 && definition.leads.length > 0) await ctx.store.releaseJobRun(key, holder);
  else await ctx.store.finishJobRun(key, holder, ctx.clock.now());
}

/** What the leads are told of an error: the platform's own words when it refused, else a plain "failed". */
function describe(error: unknown): { problem: ReportDocumentProblem; detail: string } {
  if (error instanceof ReportDocumentError) return { problem: error.problem, detail: error.detail };
  return { problem: { kind: 'refused' }, detail: error instanceof Error && error.message ? oneLine(error.message) : 'unknown error' };
}

/** An error message quoted in chat: one line, and short (it may carry a platform's long answer). */
function oneLine(message: string): string {
  const line = message.replace(/\s+/g, ' ').trim();
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}

/**
 * The store's claims for a week's document on a platform: `create` (made once) and `told` (the
 * leads told of a failure once). Job runs are the store's one exactly-once claim with a lease;
 * these are told apart from the week's own `publish` run by what they name after the week.
 */
export function documentRunKey(teamId: string, week: string, platform: PlatformName, what: 'create' | 'told'): JobRunKey {
  return { teamId, week: `${week}/document/${platform}/${what}`, job: 'publish' };
}

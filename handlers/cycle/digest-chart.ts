import { createHash } from 'node:crypto';
import type { BotContext } from '../../src/bot/context.ts';
import { renderTrendChartPng } from '../../src/charts/trend-chart.ts';
import type { ChatImage } from '../../src/platforms/platform.ts';
import type { Team } from '../../src/report/definition.ts';
import type { JobRunKey, PostedMessage } from '../../src/store/store.ts';
import { showImage } from '../across-weeks/show-image.ts';
import { parseTrendArgs, trendChartData } from '../across-weeks/trend.ts';

/** A trend needs two points: with fewer weeks of metrics there is no line to show. */
export const DIGEST_CHART_MIN_WEEKS = 2;

/** As long as posting one picture can take, rate-limit waits included; a crashed poster's claim expires after it. */
const CHART_POST_LEASE_MS = 10 * 60_000;

/**
 * Posts the trend chart of the last 12 weeks (the team's default metrics, as `/weekly-report trend`
 * draws them) under each digest header in `posts`: a PNG in the Slack thread, an image card in the
 * Feishu thread. Only for a team that declares metrics, with metrics in at least two of the weeks.
 *
 * Each header gets a given chart once: publishing again, with the same data, posts nothing, while a
 * late answer that changes a metric posts the new chart. The decision is a claim in the store (an
 * insert under a unique index, as for the week's publication), so replicas publishing at once post
 * it once; a failed post gives the claim back, and the next publication tries again. Never throws:
 * the report is out whatever happens to its chart. `chart`: the week's (publishedChart), made once
 * per publication for the digest and the report documents.
 */
export async function postDigestChart(
  ctx: BotContext,
  team: Team,
  week: string,
  posts: readonly PostedMessage[],
  holder: string,
  chart: DigestChart | null,
): Promise<void> {
  const { definition } = team;
  try {
    const headers = posts.filter((p) => p.role === 'header' && p.index === 0 && ctx.platforms[p.platform]);
    if (headers.length === 0 || !chart) return;

    const { hash } = chart;
    for (const header of headers) {
      const key = chartRunKey(definition.id, week, header, hash);
      if (!(await ctx.store.claimJobRun(key, holder, ctx.clock.now(), CHART_POST_LEASE_MS))) continue;
      try {
        const thread = { channel: header.channel, messageId: header.messageId };
        await showImage(ctx.platforms[header.platform]!, header.channel, chart.render(), thread, {
          idempotencyKey: `digest-chart:${definition.id}:${week}:${header.channel}:${hash}`,
        });
        await ctx.store.finishJobRun(key, holder, ctx.clock.now());
      } catch (error) {
        await ctx.store.releaseJobRun(key, holder).catch(() => {});
        ctx.logger.error(
          { err: error, report: definition.id, week, platform: header.platform },
          'posting the digest’s trend chart failed; the next publication tries again',
        );
      }
    }
  } catch (error) {
    ctx.logger.error({ err: error, report: definition.id, week }, 'the digest’s trend chart could not be posted');
  }
}

/** digestChart for a publication: never throws (the report goes out without its chart, which is logged). */
export async function publishedChart(ctx: BotContext, team: Team, week: string): Promise<DigestChart | null> {
  try {
    return await digestChart(ctx, team, week);
  } catch (error) {
    ctx.logger.error(
      { err: error, report: team.definition.id, week },
      'the week’s trend chart could not be made; the digest and the report documents go without it',
    );
    return null;
  }
}

/** The digest's chart of a week, drawn only when asked (`render`, once), and the hash of what it shows. */
export interface DigestChart {
  hash: string;
  render(): ChatImage;
}

/**
 * The trend chart the digest shows for the week (the team's default metrics over the last 12
 * weeks, as `/weekly-report trend` draws them), or null: a team without metrics, or with metrics
 * in fewer than DIGEST_CHART_MIN_WEEKS of the weeks. The digest posts it; the week's report
 * documents show it too (report-documents.ts).
 */
export async function digestChart(ctx: BotContext, team: Team, week: string): Promise<DigestChart | null> {
  const request = parseTrendArgs(team, []);
  if ('problem' in request) return null;
  const data = await trendChartData(ctx, team, week, request);
  if (data.weeksWithData < DIGEST_CHART_MIN_WEEKS) return null;
  let image: ChatImage | undefined;
  return {
    hash: createHash('sha256').update(JSON.stringify(data.input)).digest('hex').slice(0, 16),
    render: () => (image ??= { filename: data.filename, title: data.title, png: renderTrendChartPng(data.input) }),
  };
}

/**
 * The store's claim for one chart under one digest header. Job runs are the store's one
 * exactly-once claim with a lease; the chart's is told apart from the week's own `publish` run by
 * what it names after the week: where it goes and what it shows (the hash of the chart's data).
 */
export function chartRunKey(teamId: string, week: string, header: Pick<PostedMessage, 'platform' | 'channel'>, hash: string): JobRunKey {
  return { teamId, week: `${week}/chart/${header.platform}/${header.channel}/${hash}`, job: 'publish' };
}

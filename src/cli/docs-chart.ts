import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BotContext } from '../bot/context.ts';
import { heatmapCells, participationFor } from '../../handlers/across-weeks/participation.ts';
import { parseTrendArgs, trendChart } from '../../handlers/across-weeks/trend.ts';
import { messagesFor } from '../../handlers/texts/messages.ts';
import { displayName } from '../../handlers/owners/people.ts';
import { renderParticipationHeatmapPng } from '../charts/participation-heatmap.ts';
import { loadTeamById } from '../config/definitions.ts';
import { projectPath } from '../config/project-root.ts';
import { createLogger } from '../log.ts';
import { ConsolePlatform } from '../platforms/console/console-platform.ts';
import { PLATFORM_MODULES } from '../platforms/modules.ts';
import { seedHistory } from '../seed/history.ts';
import { seedWeek } from '../seed/seed-week.ts';
import { MemoryStore } from '../store/index.ts';

/**
 * `npm run docs:chart`: the pictures of docs/using.md, from what `npm run seed -- --weeks 12`
 * stores: the reference week 2024-W23 answered with the reference replies, after 12 weeks of
 * seeded history.
 * The same seed gives the same pictures, so running it again changes no file unless the charts did
 * (test/cli/docs-chart.test.ts checks that the committed pictures are the ones drawn now).
 */
const WEEK = '2024-W23';
const SEEDED_WEEKS = 12;

export interface DocsChart {
  /** Under docs/. */
  file: string;
  png: Buffer;
}

/** The pictures of docs/using.md, drawn from the seeded history in memory. */
export async function drawDocsCharts(): Promise<DocsChart[]> {
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  const { definition } = team;
  // The reference replies arrive on Wednesday of their week, before it is due.
  let now = new Date('2024-06-05T10:00:00+08:00');
  const ctx: BotContext = {
    teams: [team],
    store: new MemoryStore(),
    modules: PLATFORM_MODULES,
    platforms: { console: new ConsolePlatform() },
    clock: { now: () => now },
    logger: createLogger('docs-chart', { level: 'warn' }),
  };
  await seedHistory(ctx.store, team, WEEK, SEEDED_WEEKS);
  await seedWeek(ctx, team, WEEK, 'console');
  // One absence, so that the heatmap shows someone away (休假) rather than missing: Owner O4 in 2024-W21.
  await ctx.store.recordAbsence({ teamId: definition.id, person: 'owner-o4', from: '2024-05-20', to: '2024-05-24', setBy: 'lead', at: now });
  now = new Date('2024-06-07T18:00:00+08:00');

  const request = parseTrendArgs(team, []);
  if ('problem' in request) throw new Error(`${definition.id} declares no metrics to chart`);
  const trend = await trendChart(ctx, team, WEEK, request);

  const seen = await participationFor(ctx, team, definition.leads[0]!, WEEK, SEEDED_WEEKS);
  const people = [...new Set(seen.rows.map((r) => r.person))].map((id) => ({ id, name: displayName(definition, id) }));
  const heatmap = renderParticipationHeatmapPng({
    title: messagesFor(definition.locale).participationChartTitle(definition.name, seen.weeks[0]!, seen.weeks.at(-1)!),
    weeks: seen.weeks,
    people,
    cells: heatmapCells(seen.rows),
    locale: definition.locale,
  });
  return [
    { file: 'trend-chart.png', png: trend.png },
    { file: 'participation-heatmap.png', png: heatmap },
  ];
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const docs = projectPath('docs');
  mkdirSync(docs, { recursive: true });
  for (const chart of await drawDocsCharts()) {
    writeFileSync(path.join(docs, chart.file), chart.png);
    console.log(`wrote ${path.relative(process.cwd(), path.join(docs, chart.file))}`);
  }
}

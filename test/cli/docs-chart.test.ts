import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drawDocsCharts } from '../../src/cli/docs-chart.ts';
import { pngSize } from '../charts/golden-file.ts';

describe('npm run docs:chart', () => {
  it('draws the pictures of docs/using.md from the seeded history, and the committed ones are those (run it again when a chart changes)', async () => {
    const charts = await drawDocsCharts();
    expect(charts.map((c) => c.file)).toEqual(['trend-chart.png', 'participation-heatmap.png']);
    const [trend, heatmap] = charts;
    expect(pngSize(trend!.png)).toEqual({ width: 800, height: 400 });
    // Ten people own sections of the payments report.
    expect(pngSize(heatmap!.png)).toEqual({ width: 800, height: 150 + 40 * 10 });
    for (const chart of charts) {
      const committed = readFileSync(new URL(`../../docs/${chart.file}`, import.meta.url));
      expect(committed.equals(chart.png), `docs/${chart.file} is not what npm run docs:chart draws now`).toBe(true);
    }
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The archive's static files: its stylesheet, the script that draws the charts, and ECharts itself
 * from node_modules (the same library the PNG charts are drawn with). No build step: the CSS and
 * the script are small enough to read here, and are served from the bot's own origin, as the
 * Content-Security-Policy requires.
 */

export const ARCHIVE_CSS = `:root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #3b6fd8; --missed: #d9363e; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.6 system-ui, -apple-system, "PingFang SC", "Noto Sans SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
.archive-header { border-bottom: 1px solid var(--line); padding: .75rem 1rem; }
.archive-header .team { margin: 0 0 .5rem; color: var(--muted); font-size: .9rem; }
.archive-nav { display: flex; flex-wrap: wrap; gap: .25rem 1rem; }
.archive-nav a { color: var(--accent); text-decoration: none; padding: .25rem 0; }
.archive-nav a[aria-current="page"] { color: var(--ink); font-weight: 600; border-bottom: 2px solid var(--accent); }
h1 { font-size: 1.5rem; line-height: 1.3; }
a { color: var(--accent); overflow-wrap: anywhere; }
.weeks { list-style: none; padding: 0; }
.week-row { display: flex; flex-wrap: wrap; gap: .25rem 1rem; padding: .5rem 0; border-bottom: 1px solid var(--line); }
.week-row a { font-weight: 600; min-width: 6rem; }
.missed { color: var(--missed); }
.draft { color: var(--muted); border: 1px solid var(--line); border-radius: 4px; padding: 0 .35rem; font-size: .85rem; }
.draft-banner { background: #fff8e1; border: 1px solid #f0d68a; border-radius: 6px; padding: .5rem .75rem; }
.met, .empty, .note, .meta { color: var(--muted); }
.report { overflow-wrap: anywhere; }
.report pre, .revision-text { white-space: pre-wrap; overflow-wrap: anywhere; background: #f6f8fa; padding: .75rem; border-radius: 6px; font-size: .9rem; }
.report table { border-collapse: collapse; display: block; overflow-x: auto; }
.report th, .report td, table.participation th, table.participation td { border: 1px solid var(--line); padding: .25rem .5rem; }
.align-left { text-align: left; } .align-center { text-align: center; } .align-right { text-align: right; }
.revisions { margin-top: 2rem; border-top: 1px solid var(--line); }
.table-scroll { overflow-x: auto; }
table.participation { border-collapse: collapse; font-size: .9rem; white-space: nowrap; }
.chart-box { margin: 1rem 0; }
.chart { width: 100%; height: 400px; }
.search { display: flex; gap: .5rem; margin: 1rem 0; }
.search input[name="q"] { flex: 1; min-width: 0; font: inherit; padding: .4rem .6rem; border: 1px solid var(--line); border-radius: 6px; }
.search button { font: inherit; padding: .4rem .9rem; }
.results { list-style: none; padding: 0; }
.result { padding: .5rem 0; border-bottom: 1px solid var(--line); }
.snippet { margin: .25rem 0; color: var(--muted); overflow-wrap: anywhere; }
mark { background: #fff3b0; color: var(--ink); }
.error { text-align: center; padding-top: 4rem; }
@media (max-width: 40rem) { main { padding: .75rem; } .chart { height: 300px; } h1 { font-size: 1.25rem; } }
`;

/**
 * Draws each chart of the page: the option is the JSON in the \`script.chart-option\` next to its
 * \`div.chart\` (inline script would need 'unsafe-inline'; JSON data does not run). The div is marked
 * \`data-chart-ready\` once drawn, for whoever waits for it.
 */
export const ARCHIVE_JS = `'use strict';
(function () {
  function draw() {
    var boxes = document.querySelectorAll('.chart-box');
    var charts = [];
    boxes.forEach(function (box) {
      var div = box.querySelector('div.chart');
      var data = box.querySelector('script.chart-option');
      if (!div || !data || typeof echarts === 'undefined') return;
      var chart = echarts.init(div);
      chart.setOption(JSON.parse(data.textContent));
      div.setAttribute('data-chart-ready', 'true');
      charts.push(chart);
    });
    window.addEventListener('resize', function () { charts.forEach(function (c) { c.resize(); }); });
  }
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', draw);
  else draw();
})();
`;

/**
 * The pages' icon: without one, the browser asks for /favicon.ico by itself, and logs the 404 as an
 * error of every page. An SVG of the report's sheet, served from the archive's own origin.
 */
export const ARCHIVE_ICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect x="2" y="1" width="12" height="14" rx="2" fill="#3b6fd8"/><path d="M5 5h6M5 8h6M5 11h4" stroke="#fff" stroke-width="1.5"/></svg>`;

let echartsScript: Buffer | undefined;

/** ECharts' browser build, read once. */
export function echartsMinJs(): Buffer {
  echartsScript ??= readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'));
  return echartsScript;
}

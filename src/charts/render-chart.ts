import { Resvg, type ResvgRenderOptions } from '@resvg/resvg-js';
import * as echarts from 'echarts';
import { CHART_FONT_FAMILY, chartFontFile } from './chart-font.ts';

export type ChartOption = echarts.EChartsOption;

export interface ChartSize {
  width: number;
  height: number;
}

/**
 * Draws an ECharts option as SVG on the server. The same option gives the same bytes on every run:
 * no animation, a fixed size and font, and ids that do not depend on how many charts came before.
 */
export function renderChartSvg(option: ChartOption, size: ChartSize): string {
  const chart = echarts.init(null, null, { renderer: 'svg', ssr: true, width: size.width, height: size.height });
  try {
    chart.setOption({ ...option, animation: false });
    return stableIds(chart.renderToSVGString());
  } finally {
    chart.dispose();
  }
}

/**
 * zrender names clip paths, gradients and CSS classes with its instance number and counters that run
 * on across every chart drawn in the process (`zr0-cls-0`, then `zr1-cls-5` for the same element of
 * the next chart). Renaming them in order of first appearance makes each SVG depend on itself only.
 */
export function stableIds(svg: string): string {
  const names = new Map<string, string>();
  const counts = new Map<string, number>();
  return svg.replace(/\bzr\d+-([a-z]+-?)(\d+)\b/g, (token, kind: string) => {
    let name = names.get(token);
    if (!name) {
      const n = counts.get(kind) ?? 0;
      counts.set(kind, n + 1);
      name = `chart-${kind}${n}`;
      names.set(token, name);
    }
    return name;
  });
}

/** How resvg draws every chart: with the chart font only, so no machine's own fonts change a pixel. */
export function chartResvgOptions(): ResvgRenderOptions {
  return {
    font: { fontFiles: [chartFontFile()], loadSystemFonts: false, defaultFontFamily: CHART_FONT_FAMILY },
    logLevel: 'error',
  };
}

/** The SVG as a PNG of the same size. */
export function svgToPng(svg: string): Buffer {
  return new Resvg(svg, chartResvgOptions()).render().asPng();
}

/** Text style shared by every chart: the bundled font, so what ECharts lays out is what resvg draws. */
export const CHART_TEXT_STYLE = { fontFamily: CHART_FONT_FAMILY, color: '#333333' } as const;

import { Resvg } from '@resvg/resvg-js';
import { chartResvgOptions } from '../../src/charts/render-chart.ts';

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface Raster {
  width: number;
  pixels: Buffer;
}

/** The chart's RGBA pixels, drawn exactly as svgToPng draws them (about 0.3 s: resvg reads the font each time). */
export function rasterise(svg: string): Raster {
  const image = new Resvg(svg, chartResvgOptions()).render();
  return { width: image.width, pixels: Buffer.from(image.pixels) };
}

export function pixelsIn(raster: Raster, box: Box): Buffer {
  const rows: Buffer[] = [];
  for (let y = box.y; y < box.y + box.height; y++) {
    const start = (y * raster.width + box.x) * 4;
    rows.push(raster.pixels.subarray(start, start + box.width * 4));
  }
  return Buffer.concat(rows);
}

/** Pixels darker than the white background: the ink of text and lines. */
export function inkIn(pixels: Buffer): number {
  let ink = 0;
  for (let i = 0; i < pixels.length; i += 4) {
    if (pixels[i]! < 200 || pixels[i + 1]! < 200 || pixels[i + 2]! < 200) ink++;
  }
  return ink;
}

/** For each column of the box, from its left edge: whether any pixel in it is ink. */
export function inkColumns(raster: Raster, box: Box): boolean[] {
  return Array.from({ length: box.width }, (_, i) => inkIn(pixelsIn(raster, { x: box.x + i, y: box.y, width: 1, height: box.height })) > 0);
}

/** The widest run of blank columns strictly between x = from and x = to. */
export function widestGap(columns: readonly boolean[], from: number, to: number): number {
  let widest = 0;
  let run = 0;
  for (let x = Math.ceil(from) + 1; x < to; x++) {
    run = columns[x] ? 0 : run + 1;
    widest = Math.max(widest, run);
  }
  return widest;
}

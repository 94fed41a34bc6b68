import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';

export const CHART_FIXTURES = fileURLToPath(new URL('../fixtures/charts/', import.meta.url));

/**
 * Compares text with test/fixtures/charts/<name>. With UPDATE_GOLDEN=1 it writes the file instead,
 * so a deliberate change is one run away and the diff of the fixture is the review.
 */
export function expectGolden(name: string, actual: string): void {
  const file = path.join(CHART_FIXTURES, name);
  if (process.env.UPDATE_GOLDEN === '1') {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, actual);
    return;
  }
  if (!existsSync(file)) {
    throw new Error(`No golden file ${path.relative(process.cwd(), file)}: run UPDATE_GOLDEN=1 npx vitest run test/charts, then review it`);
  }
  // toBe on the whole text prints a line diff on failure; a chart that moved by a pixel shows where.
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

/** Width and height from a PNG's IHDR chunk, which the format puts first. */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const bytes = Buffer.from(png.buffer, png.byteOffset, png.byteLength);
  expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  expect(bytes.toString('latin1', 12, 16)).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

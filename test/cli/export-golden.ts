import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

const FIXTURES = new URL('../fixtures/export/', import.meta.url);

/** Compares with test/fixtures/export/<name>; UPDATE_GOLDEN=1 rewrites it, and the diff is the review. */
export function expectExportGolden(name: string, actual: string): void {
  const file = new URL(name, FIXTURES);
  if (process.env.UPDATE_GOLDEN === '1') writeFileSync(file, actual);
  else if (!existsSync(file)) throw new Error(`no golden file test/fixtures/export/${name}: run UPDATE_GOLDEN=1 npx vitest run test/cli`);
  expect(actual, `${name} differs from its golden file (UPDATE_GOLDEN=1 rewrites it)`).toBe(readFileSync(file, 'utf8'));
}

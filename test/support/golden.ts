import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const SEEDS_DIR = fileURLToPath(new URL('../../seeds/2024-W23/', import.meta.url));
export const EXPECTED_MD = readFileSync(new URL('../../seeds/2024-W23/expected.md', import.meta.url), 'utf8');
/** The reference week was opened on Tuesday 2024-06-04 15:34 in Shanghai. */
export const REFERENCE_CREATED = new Date('2024-06-04T15:34:00+08:00');

/** Lines as the acceptance compares them: trailing whitespace and trailing blank lines do not count. */
export function documentLines(markdown: string): string[] {
  const lines = markdown
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

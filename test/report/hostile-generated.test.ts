import { describe, expect, it } from 'vitest';
import { loadPaymentsTeam, runHostileInput, sectionOf, TARGET_SECTIONS } from './hostile-corpus.ts';
import { documentOutline, expectedOutline, outlineDifferences, PARSERS } from './markdown-outline.ts';
import { ownerTextKept } from './owner-text-check.ts';

/**
 * Generated replies built from the pieces that change structure (markers and quotes chained at any
 * indentation, tabs, fences, underlines, HTML starts, reference definitions, lazy lines), stored as
 * they are, with no parser to tidy them. Seeded, so a failure reproduces; the seed and the reply are
 * in the failure message. Found the cases the corpus missed: an empty item under a paragraph read as
 * a setext underline, a tab after `>`, and a `2.` that markdown-it starts a list with where
 * CommonMark reads a lazy line.
 */

const team = await loadPaymentsTeam();

const PREFIXES = ['- ', '> ', '1. ', '* ', '2) ', '+ ', '>', '-\t', '>\t', '10. ', '  ', '    ', '\t', ' '];
const LEAVES = ['x', '文本', '', '-', '===', '---', '# h', '```', '~~~', '<!--', '<div>', '2. y', '[a]: /u', '[a', 'lazy', '*', '|a|', '<script>'];

function generator(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

function generatedReply(random: () => number): string {
  const pick = <T>(from: readonly T[]): T => from[Math.floor(random() * from.length)]!;
  const lines: string[] = [];
  const count = 5 + Math.floor(random() * 40);
  for (let k = 0; k < count; k++) {
    if (random() < 0.08) {
      lines.push('');
      continue;
    }
    let line = ' '.repeat(Math.floor(random() * (random() < 0.5 ? 6 : 40)));
    const chain = Math.floor(random() * (random() < 0.3 ? 25 : 6));
    for (let c = 0; c < chain; c++) line += pick(PREFIXES);
    lines.push(line + pick(LEAVES));
  }
  return lines.join('\n');
}

describe('generated hostile replies', () => {
  it.each([1, 2, 3, 4])('keep the outline and every character (seed %i)', (seed) => {
    const random = generator(seed);
    for (let n = 0; n < 40; n++) {
      const text = generatedReply(random);
      for (const id of TARGET_SECTIONS) {
        const outcome = runHostileInput(team, sectionOf(team, id), text, 'stored content');
        if ('refused' in outcome) continue;
        const { report } = outcome;
        const where = `seed ${seed}, reply ${n}, ${id}: ${JSON.stringify(text)}`;
        expect(outlineDifferences(documentOutline(report.markdown, PARSERS.commonmark), expectedOutline(team, report)), where).toEqual([]);
        expect(ownerTextKept(text, report.markdown), where).toEqual({ ok: true });
      }
    }
  });
});

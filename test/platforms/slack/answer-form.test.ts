import { describe, expect, it } from 'vitest';
import { PREFILL_PART_CHARS, readButtonValue, splitPrefill } from '../../../src/platforms/slack/answer-form.ts';

const join = ({ parts, joins }: { parts: string[]; joins: string[] }) => parts.map((p, i) => p + (joins[i] ?? '')).join('');

describe('splitPrefill', () => {
  it('keeps a prefill that fits in one input whole', () => {
    expect(splitPrefill('1. a\n2. b')).toEqual({ parts: ['1. a\n2. b'], joins: [] });
    expect(splitPrefill('')).toEqual({ parts: [''], joins: [] });
  });

  it('cuts between lines, moves blank lines at a cut into the join, and joins back exactly', () => {
    const para = (n: number) => Array.from({ length: 12 }, (_, i) => `${n}.${i} ${'字'.repeat(100)}`).join('\n');
    const text = `${para(1)}\n\n${para(2)}\n\n\n${para(3)}`;
    const split = splitPrefill(text);
    expect(split.parts.length).toBeGreaterThan(1);
    expect(split.parts.every((p) => [...p].length <= PREFILL_PART_CHARS && !p.startsWith('\n') && !p.endsWith('\n'))).toBe(true);
    expect(join(split)).toBe(text);
  });

  it('cuts a single line longer than an input on characters', () => {
    const text = `${'长'.repeat(4500)}\nend`;
    const split = splitPrefill(text);
    expect(split.parts.map((p) => [...p].length)).toEqual([2000, 2000, 504]);
    expect(join(split)).toBe(text);
  });
});

describe('readButtonValue', () => {
  it('reads only values the bot wrote', () => {
    expect(readButtonValue('{"teamId":"r","week":"2024-W23","sectionId":"o1"}')).toEqual({ teamId: 'r', week: '2024-W23', sectionId: 'o1' });
    expect(readButtonValue('not json')).toBeNull();
    expect(readButtonValue('{"teamId":"r"}')).toBeNull();
    expect(readButtonValue(undefined)).toBeNull();
  });
});

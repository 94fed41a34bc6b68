import { describe, expect, it } from 'vitest';
import { normaliseLinks } from '../../../src/report/parse/links.ts';

const wiki = 'https://wiki.lianjia.com/display/LFTQA/2024.6';

describe('normaliseLinks', () => {
  it('turns a bare URL into a Markdown link to itself', () => {
    expect(normaliseLinks(`详细记录：${wiki}`)).toBe(`详细记录：[${wiki}](${wiki})`);
  });

  it('leaves an existing Markdown link alone', () => {
    expect(normaliseLinks(`详细记录：[wiki](${wiki})`)).toBe(`详细记录：[wiki](${wiki})`);
    expect(normaliseLinks(`[${wiki}](${wiki})`)).toBe(`[${wiki}](${wiki})`);
  });

  it('leaves inline code and <url> autolinks as typed', () => {
    expect(normaliseLinks('调用 `curl https://pay.example.com/health` 正常')).toBe('调用 `curl https://pay.example.com/health` 正常');
    expect(normaliseLinks('<https://pay.example.com>')).toBe('<https://pay.example.com>');
  });

  it('ends a URL at CJK text or punctuation', () => {
    expect(normaliseLinks('详见https://x.example.com/a，谢谢')).toBe('详见[https://x.example.com/a](https://x.example.com/a)，谢谢');
  });

  it('leaves sentence punctuation and an unopened parenthesis outside the link', () => {
    expect(normaliseLinks('See https://x.example.com/a.')).toBe('See [https://x.example.com/a](https://x.example.com/a).');
    expect(normaliseLinks('(see https://x.example.com/a)')).toBe('(see [https://x.example.com/a](https://x.example.com/a))');
    expect(normaliseLinks('https://en.wikipedia.org/wiki/Foo_(bar)')).toBe(
      '[https://en.wikipedia.org/wiki/Foo_(bar)](https://en.wikipedia.org/wiki/Foo_(bar))',
    );
  });

  it('links every URL in a line, keeping query strings whole', () => {
    expect(normaliseLinks('a https://x.example.com/?q=1&b=2 b http://y.example.com')).toBe(
      'a [https://x.example.com/?q=1&b=2](https://x.example.com/?q=1&b=2) b [http://y.example.com](http://y.example.com)',
    );
  });
});

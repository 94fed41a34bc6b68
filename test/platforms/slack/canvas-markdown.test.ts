import { describe, expect, it } from 'vitest';
import { canvasMarkdown } from '../../../src/platforms/slack/canvas-markdown.ts';
import { unsupportedCanvasMarkdown } from '../../fakes/slack-api.ts';
import { EXPECTED_MD } from '../../support/golden.ts';

/** The reference report with what canvases do not take: a deeper heading, an image, both inside code too. */
const WITH_EXTRAS = EXPECTED_MD.replace(
  '## 【O3 平台治理】\n',
  [
    '## 【O3 平台治理】',
    '',
    '#### 风险与依赖 ####',
    '',
    '看板：![燃尽图](https://example.com/burn.png) 与 ![](https://example.com/x.png)',
    '',
    '```',
    '#### 不是标题',
    '![不是图片](https://example.com/y.png)',
    '```',
    '',
    '行内代码 `![a](b)` 保持原样',
    '',
  ].join('\n'),
);

describe('canvasMarkdown', () => {
  it('leaves the reference report as it is: every element in it is one canvases take', () => {
    expect(unsupportedCanvasMarkdown(EXPECTED_MD)).toBeUndefined();
    expect(canvasMarkdown(EXPECTED_MD)).toBe(EXPECTED_MD);
  });

  it('turns headings deeper than h3 into bold lines and images into links, outside code only', () => {
    // What the fake (as Slack) refuses before the mapping …
    expect(unsupportedCanvasMarkdown(WITH_EXTRAS)).toMatch(/headings deeper than h3/);
    const mapped = canvasMarkdown(WITH_EXTRAS);
    // … it takes after it.
    expect(unsupportedCanvasMarkdown(mapped)).toBeUndefined();
    const lines = mapped.split('\n');
    expect(lines).toContain('**风险与依赖**');
    expect(lines).toContain('看板：[燃尽图](https://example.com/burn.png) 与 [image](https://example.com/x.png)');
    // Code blocks and spans are not touched.
    expect(lines).toContain('#### 不是标题');
    expect(lines).toContain('![不是图片](https://example.com/y.png)');
    expect(lines).toContain('行内代码 `![a](b)` 保持原样');
    // The rest of the report is line for line the same.
    expect(mapped.replace(/\*\*风险与依赖\*\*\n\n看板：.*\n/, '')).toBe(WITH_EXTRAS.replace(/#### 风险与依赖 ####\n\n看板：.*\n/, ''));
  });

  it('keeps h1 to h3 headings, an empty deep heading becomes an empty line, and a canvas mention cannot be spelt', () => {
    expect(canvasMarkdown('# a\n## b\n### c\n######\n####### seven')).toBe('# a\n## b\n### c\n\n####### seven');
    // `![](@U123)` is how a canvas spells a mention: owner text keeps it as a link, pinging nobody.
    expect(canvasMarkdown('抄送 ![](@U0000000004)')).toBe('抄送 [image](@U0000000004)');
  });
});

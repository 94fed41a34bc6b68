import { describe, expect, it } from 'vitest';
import { neutraliseOwnerMarkdown, showControlCharacters, type OwnerTextPlace } from '../../../src/report/render/neutralise-markdown.ts';

const TOP: OwnerTextPlace = { column: 0, containerColumn: 0, depth: 0, maxDepth: 8 };
const at = (text: string, place: Partial<OwnerTextPlace> = {}) => neutraliseOwnerMarkdown(text, { ...TOP, ...place });

describe('neutraliseOwnerMarkdown', () => {
  it.each([
    '**银商POS**：支持云闪付；资金安全&物保，详见 [wiki](https://wiki.example.com/a?b=1&c=2)',
    '06/03 18:31 由于中信银行侧配置问题，商户名称---由企业名称变更 -> 结算卡户名',
    '机房双活：`orderpay-api`和`pay-core`的redis双活拆分完成，成功率 > 99.9%，延迟 < 5ms',
    ' 截至6/7，待追款1个商户，金额 322 。',
    '- 入金有效成功率：99.987%\n- 出金有效成功率：99.980%\n    1. 子项\n    2. 子项',
    '> 客户原话：很满意\n> 第二行',
    '<https://example.com/a> <ops@example.com> [目录](#top) [文档](docs/a.md) [邮件](mailto:a@example.com)',
    '{{title}} {{#each sections}}x{{/each}} #123 #hashtag a_b_c 2*3*4 C:\\Users',
    '```sql\nSELECT 1;\n# a comment, not a heading\n<!-- and no HTML -->\n```',
  ])('leaves ordinary owner text as typed: %s', (text) => {
    expect(at(text)).toBe(text);
  });

  it.each([
    ['<!-- 草稿', '&lt;!-- 草稿'],
    ['进度 <!-- 隐藏', '进度 &lt;!-- 隐藏'],
    ['<div>隐藏</div>', '&lt;div>隐藏&lt;/div>'],
    ['<script>alert(1)</script>', '&lt;script>alert(1)&lt;/script>'],
    ['<?php', '&lt;?php'],
    ['<![CDATA[', '&lt;![CDATA['],
    ['<!subteam^S1> <@U1>', '&lt;!subteam^S1> &lt;@U1>'],
    ['```', '\\```'],
    ['~~~ 日志', '\\~~~ 日志'],
    ['# 伪造的标题', '\\# 伪造的标题'],
    ['   ###### 六级', '   \\###### 六级'],
    ['***', '\\***'],
    ['_ _ _', '\\_ _ _'],
    ['- - -', '\\- - -'],
    ['[ref]: http://x', '\\[ref]: http://x'],
    ['[a\\]b]: http://x', '\\[a\\]b]: http://x'],
    ['[一个没有结尾的标签', '\\[一个没有结尾的标签'],
    ['- # 标题', '- \\# 标题'],
    ['> ## 标题', '> \\## 标题'],
    ['1. ---', '1. \\---'],
  ])('escapes structure at the start of a line: %s', (typed, printed) => {
    expect(at(typed)).toBe(printed);
  });

  it('escapes setext underlines, so the line above stays a paragraph', () => {
    expect(at('本周重点\n===\n正文\n---\n- a\n  --')).toBe('本周重点\n\\===\n正文\n\\---\n- a\n  \\--');
  });

  it('keeps a code block the owner closed, and escapes one left open', () => {
    expect(at('日志：\n```\n<!--\n# x\n```\n完')).toBe('日志：\n```\n<!--\n# x\n```\n完');
    expect(at('日志：\n```\n<!--\n完')).toBe('日志：\n\\```\n&lt;!--\n完');
    expect(at('~~~~\ncode\n~~~\n')).toBe('\\~~~~\ncode\n\\~~~\n');
  });

  it('escapes a fence whose closing line a parser would read as a new fence', () => {
    // `b` ends the list item, and with it the code block; the second fence would open one that never closes.
    expect(at('- a\n  ```\nb\n  ```')).toBe('- a\n  \\```\nb\n  \\```');
  });

  it('keeps lists and quotes up to the depth bound and escapes the marker beyond it', () => {
    expect(at(`${'- '.repeat(10)}x`, { maxDepth: 3 })).toBe(`- - - \\- ${'- '.repeat(6)}x`);
    expect(at(`${'- '.repeat(3)}x`, { depth: 2, maxDepth: 3 })).toBe('- \\- - x');
    expect(at('> > > > x', { maxDepth: 2 })).toBe('> > \\> > x');
    expect(at('1. a\n    1. b\n        1. c', { maxDepth: 2 })).toBe('1. a\n    1. b\n        1\\. c');
  });

  it('does not count siblings or items a blank line or a lazy line leaves open as nesting', () => {
    const siblings = Array.from({ length: 20 }, (_, i) => `${i + 1}. 第${i + 1}项`).join('\n');
    expect(at(siblings, { maxDepth: 1 })).toBe(siblings);
    expect(at('- a\n\n- b\n- c', { maxDepth: 1 })).toBe('- a\n\n- b\n- c');
    // `b` continues `a` lazily, so `  - c` is inside `a`'s item: two levels.
    expect(at('- a\nb\n  - c', { maxDepth: 1 })).toBe('- a\nb\n  \\- c');
  });

  it('lets nothing nest after a marker that only continues a paragraph', () => {
    expect(at('说明\n2. - 子项')).toBe('说明\n2. \\- 子项');
  });

  it('shows control characters and never lets a bidi override through', () => {
    expect(at('a\u0000b\u0007c\u001bd\u007fe\u0085f')).toBe('a␀b␇c␛d␡e\\u{0085}f');
    expect(at('金额 \u202E001\u202C \u2066x\u2069')).toBe('金额 \\u{202E}001\\u{202C} \\u{2066}x\\u{2069}');
    expect(showControlCharacters('tab\tand\nline')).toBe('tab\tand\nline');
    expect(at('a\r# b\r\nc')).toBe('a\n\\# b\nc');
  });

  it('makes links to script targets plain text, keeping what was typed', () => {
    expect(at('[x](javascript:alert(1))')).toBe('[x]\\(javascript:alert(1))');
    expect(at('[x]( JAVASCRIPT:alert(1)) [y](java&#115;cript:1) [z](javascript\\:1)')).toBe(
      '[x]\\( JAVASCRIPT:alert(1)) [y]\\(java&#115;cript:1) [z]\\(javascript\\:1)',
    );
    expect(at('![i](data:image/png;base64,AA) [v](vbscript:x) [o](<javascript:x>)')).toBe(
      '![i]\\(data:image/png;base64,AA) [v]\\(vbscript:x) [o]\\(&lt;javascript:x>)',
    );
    expect(at('<javascript:alert(1)> <data:text/html,x>')).toBe('&lt;javascript:alert(1)> &lt;data:text/html,x>');
    expect(at('[a](https://x.com/(b)) [b](<https://x.com/a b>)')).toBe('[a](https://x.com/(b)) [b](<https://x.com/a b>)');
  });

  it('escapes entities that would decode to a hidden character, and only those', () => {
    expect(at('&#8238;x&#x202c; &#7; &amp; &#x41; &copy;')).toBe('\\&#8238;x\\&#x202c; \\&#7; &amp; &#x41; &copy;');
  });

  it('never turns an owner’s escape into an escaped backslash', () => {
    expect(at('\\<div> \\&#8238; \\# x')).toBe('\\<div> \\&#8238; \\# x');
  });

  it('keeps code spans as typed, and escapes what follows them', () => {
    expect(at('用 `<div>` 包裹 ``a ` <b>`` 然后 <div>')).toBe('用 `<div>` 包裹 ``a ` <b>`` 然后 &lt;div>');
  });

  it('reads columns from where the text sits: under a title bullet, four spaces are two inside it', () => {
    const underTitle = { column: 4, containerColumn: 2 };
    expect(at('```\n# x\n```', underTitle)).toBe('```\n# x\n```');
    // Two more spaces put the fence 4 columns into the title's item: not a fence there, so it is escaped.
    expect(at('  ```\n# x\n  ```', underTitle)).toBe('  \\```\n\\# x\n  \\```');
  });

  it('takes time linear in the text, whatever it repeats', () => {
    // No timing is asserted; these are the shapes that make backtracking patterns slow.
    for (const text of [
      `${' '.repeat(50_000)}- x`,
      '`'.repeat(20_000),
      '```x\n'.repeat(4_000),
      `${'<a:'.repeat(7_000)}`,
      `[${'a'.repeat(20_000)}`,
      '- '.repeat(10_000),
    ]) {
      expect(at(text).length).toBeGreaterThanOrEqual(text.length);
    }
  });
});

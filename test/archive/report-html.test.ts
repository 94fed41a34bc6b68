import { describe, expect, it } from 'vitest';
import { isArchiveSafeLink, reportHtml, reportPlainText } from '../../src/archive/report-html.ts';
import { executableMarkup } from './html-checks.ts';

describe('the report as HTML', () => {
  it('prints raw HTML as text, even when the document holds it unescaped', () => {
    const html = reportHtml('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)> <b onclick="x">b</b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(executableMarkup(html)).toEqual([]);
  });

  it('keeps links the report keeps (http, https, mailto, tel, ftp, relative) and prints any other as text', () => {
    const html = reportHtml('[a](https://x.test/a) [b](mailto:a@x.test) [c](/docs/a) [d](javascript:alert(1)) [e](custom:thing) [f](data:text/html,x)');
    expect(html).toContain('<a href="https://x.test/a" rel="noopener noreferrer nofollow">a</a>');
    expect(html).toContain('<a href="mailto:a@x.test"');
    expect(html).toContain('<a href="/docs/a"');
    for (const text of ['[d](javascript:alert(1))', '[e](custom:thing)', '[f](data:text/html,x)']) expect(html).toContain(text);
    expect(executableMarkup(html)).toEqual([]);
    expect(['https://a', 'HTTP://a', 'tel:1', 'a/b:c', '#x'].every(isArchiveSafeLink)).toBe(true);
    expect(['javascript:x', 'JaVaScRiPt:x', 'vbscript:x', 'data:x', 'custom:x', 'a:b/c'].some(isArchiveSafeLink)).toBe(false);
  });

  it('shows no image, which would load from anywhere', () => {
    const html = reportHtml('![tracker](https://evil.test/pixel.png)');
    expect(html).not.toContain('<img');
  });

  it('aligns table columns with classes, not style attributes (the CSP allows none)', () => {
    const html = reportHtml('| a | b |\n|:--|--:|\n| 1 | 2 |');
    expect(html).toContain('<th class="align-left">a</th>');
    expect(html).toContain('<td class="align-right">2</td>');
    expect(html).not.toContain('style=');
  });

  it('reads the report as its page shows it, for search: escapes undone, markup gone, a block a line', () => {
    const markdown = '## 【O1】\n\n1. 上线 \\<script\\> 过滤，见 [工单](https://example.com/t/1)\n   - a\\_b *强调* `code`\n\n```\nraw <b>\n```';
    expect(reportPlainText(markdown)).toBe('【O1】\n上线 <script> 过滤，见 工单\na_b 强调 code\nraw <b>');
  });

  it('drops NUL characters, which have no place in a page, and keeps the rest of the owner’s text', () => {
    expect(reportHtml('a\u0000b')).toBe('<p>ab</p>\n');
    expect(reportPlainText('a\u0000b')).toBe('ab');
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../src/report/parse/index.ts';

const section = { kind: 'text', title: '【系统运行数据】', notePrefixes: [] } as const;

function markdown(text: string): string {
  const result = parseReply({ source: 'text', text }, section);
  if (!result.ok) throw new Error(result.error.message);
  if (result.content.kind !== 'text') throw new Error(`expected text, got ${result.content.kind}`);
  return result.content.markdown;
}

describe('free text', () => {
  it('keeps the reference 【系统运行数据】 block exactly: paragraphs, blank lines, bullets and a leading space', () => {
    const expected = readFileSync(new URL('../../../seeds/2024-W23/expected.md', import.meta.url), 'utf8');
    const block = expected.split('## 【系统运行数据】\n\n')[1]?.split('\n\n## ')[0];
    expect(block).toContain(' 截至6/7');
    expect(markdown(block ?? '')).toBe(block);
  });

  it('rewrites every bullet style as "- "', () => {
    expect(markdown('支付成功率：\n• 入金有效成功率：99.987%\n* 出金有效成功率：99.980%\n◦ a\n+ b\n▪ c\n· d')).toBe(
      '支付成功率：\n- 入金有效成功率：99.987%\n- 出金有效成功率：99.980%\n- a\n- b\n- c\n- d',
    );
  });

  it('rewrites ordered markers as "N. " keeping the owner number', () => {
    expect(markdown('1) 年度可用性：100%\n（2）事故数AB级0次\n③ 待追款\n４．已沉淀')).toBe('1. 年度可用性：100%\n2. 事故数AB级0次\n3. 待追款\n4. 已沉淀');
  });

  it('nests list lines by 4 spaces whatever indentation was typed', () => {
    expect(markdown('- 可用性\n  - 年度：100%\n\t\t- 月度：100%\n- 事故')).toBe('- 可用性\n    - 年度：100%\n        - 月度：100%\n- 事故');
  });

  it('starts a list after a paragraph at the top level even when it was typed indented', () => {
    expect(markdown('支付成功率：\n  * 入金有效成功率：99.987%')).toBe('支付成功率：\n- 入金有效成功率：99.987%');
  });

  it('collapses runs of blank lines to one and removes leading and trailing blank lines', () => {
    expect(markdown('\n\n支付成功率：\n\n\n\n- 入金\n \n\t\n系统可用性\n\n\n')).toBe('支付成功率：\n\n- 入金\n\n系统可用性');
  });

  it('keeps other lines as typed, trimming only trailing whitespace', () => {
    expect(markdown('  截至6/7，待追款1个商户，金额 322 。   \n**注意**：`pay-core` 正常')).toBe(
      '  截至6/7，待追款1个商户，金额 322 。\n**注意**：`pay-core` 正常',
    );
  });

  it('links bare URLs and leaves Markdown links alone', () => {
    expect(markdown('看板：https://grafana.example.com/d/pay\n- 详情：[看板](https://grafana.example.com/d/pay)')).toBe(
      '看板：[https://grafana.example.com/d/pay](https://grafana.example.com/d/pay)\n- 详情：[看板](https://grafana.example.com/d/pay)',
    );
  });

  it('drops a marker typed with nothing after it', () => {
    expect(markdown('支付成功率：\n-\n- 入金')).toBe('支付成功率：\n- 入金');
  });

  it('rewrites lettered items as numbered ones nested under the number above, as Markdown has no a. lists', () => {
    expect(markdown('1. 可用性\na. 年度：100%\nb. 6月：100%\n2. 事故')).toBe('1. 可用性\n    1. 年度：100%\n    2. 6月：100%\n2. 事故');
  });

  it('keeps quotes as typed', () => {
    expect(markdown('支付成功率：\n> 入金有效成功率：99.987%\n>\n> 出金有效成功率：99.980%')).toBe(
      '支付成功率：\n> 入金有效成功率：99.987%\n>\n> 出金有效成功率：99.980%',
    );
  });

  it('keeps a code block line for line: blank lines, list-like lines and URLs as typed', () => {
    const block = '```\n- not a list https://x.com\n\n\n# not a heading\n```';
    expect(markdown(`查询：\n${block}\n结果正常`)).toBe(`查询：\n${block}\n结果正常`);
  });

  it('closes a code block the owner left open', () => {
    expect(markdown('查询：\n  ```sql\n  SELECT 1;\n')).toBe('查询：\n  ```sql\n  SELECT 1;\n  ```');
  });
});

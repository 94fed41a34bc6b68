import { describe, expect, it } from 'vitest';
import { joinContinuation, measureIndent, readMarker, splitLines } from '../../../src/report/parse/lines.ts';

describe('readMarker', () => {
  it.each([
    ['- 省心租', 'bullet', '-'],
    ['* 省心租', 'bullet', '*'],
    ['+ 省心租', 'bullet', '+'],
    ['• 省心租', 'bullet', '•'],
    ['◦ 省心租', 'bullet', '◦'],
    ['▪ 省心租', 'bullet', '▪'],
    ['· 省心租', 'bullet', '·'],
    ['•省心租', 'bullet', '•'],
  ])('reads the bullet in %j', (line, kind, raw) => {
    expect(readMarker(line)).toEqual({ kind, raw });
  });

  it.each([
    ['1. 业务侧', 1, '1.'],
    ['1.业务侧', 1, '1.'],
    ['2) 银行侧', 2, '2)'],
    ['3、产品研发', 3, '3、'],
    ['（4）资金安全', 4, '（4）'],
    ['(5) 资金安全', 5, '(5)'],
    ['① 资金安全', 1, '①'],
    ['⑳ 资金安全', 20, '⑳'],
    ['6．资金安全', 6, '6．'],
    ['１. 资金安全', 1, '１.'],
    ['１２）资金安全', 12, '１２）'],
  ])('reads the ordered marker in %j with its number', (line, number, raw) => {
    expect(readMarker(line)).toEqual({ kind: 'ordered', number, raw });
  });

  it.each(['-5% 成本', '**粗体**开头', '+86 电话', '1.1版本和1.2版本测试进度为20%', '6.6-6.7日的客户', '2024.6 月报', '06/03 18:31 告警', '2024年5月28日'])(
    'leaves %j as text',
    (line) => {
      expect(readMarker(line)).toBeUndefined();
    },
  );
});

describe('splitLines', () => {
  it('reads CRLF, lone CR and LF line endings alike', () => {
    expect(splitLines('a\r\nb\rc\nd').map((l) => l.raw)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('drops a byte order mark', () => {
    const [first] = splitLines('\uFEFF1. 明星项目');
    expect(first?.marker?.kind).toBe('ordered');
    expect(first?.text).toBe('明星项目');
  });

  it('trims trailing whitespace, including full-width spaces', () => {
    expect(splitLines('明星项目 \t\u3000').map((l) => l.raw)).toEqual(['明星项目']);
  });

  it('reads the text after the marker and the spaces after it, full-width spaces included', () => {
    expect(splitLines('-\u3000省心租')[0]?.text).toBe('省心租');
  });

  it('counts a line of only whitespace as blank', () => {
    expect(splitLines(' \t\u3000')[0]?.blank).toBe(true);
  });
});

describe('measureIndent', () => {
  it('counts spaces one column each', () => {
    expect(measureIndent('   ')).toBe(3);
  });

  it('moves a tab to the next multiple of 4 columns', () => {
    expect(measureIndent('\t')).toBe(4);
    expect(measureIndent('  \t')).toBe(4);
    expect(measureIndent('\t\t')).toBe(8);
  });

  it('counts a full-width space as two columns', () => {
    expect(measureIndent('\u3000\u3000')).toBe(4);
  });
});

describe('joinContinuation', () => {
  it('joins two CJK sides with nothing: a wrapped Chinese sentence has no space in it', () => {
    expect(joinContinuation('工行对接接口细节', '沟通完毕')).toBe('工行对接接口细节沟通完毕');
  });

  it('joins after CJK punctuation with nothing', () => {
    expect(joinContinuation('进度90%，', '等待网络配置')).toBe('进度90%，等待网络配置');
  });

  it('joins with one space when either side is not CJK', () => {
    expect(joinContinuation('redis双活拆分', 'done in prod')).toBe('redis双活拆分 done in prod');
    expect(joinContinuation('OOM,', '原因营销代付')).toBe('OOM, 原因营销代付');
    expect(joinContinuation('Settlement delayed', 'until 10:46')).toBe('Settlement delayed until 10:46');
  });
});

describe('lettered sub-item markers', () => {
  it.each([
    ['a. 省心租', 1, 'a.'],
    ['b. 整装', 2, 'b.'],
    ['A) 工行', 1, 'A)'],
    ['c、交行', 3, 'c、'],
    ['(d) 建行', 4, '(d)'],
    ['（e）农行', 5, '（e）'],
    ['i. 第一步', 1, 'i.'],
    ['ii. 第二步', 2, 'ii.'],
    ['IV) 第四步', 4, 'IV)'],
  ])('reads %j as a lettered marker numbered by its place', (line, number, raw) => {
    expect(readMarker(line)).toEqual({ kind: 'lettered', number, raw });
  });

  it.each(['e.g. 省心租', 'i.e. 整装', 'A.B.C 三家', 'v1.2 版本', 'a.b', 'A、B两家银行', 'vv. 不是罗马数字', 'abc. 单词'])('leaves %j as text', (line) => {
    expect(readMarker(line)).toBeUndefined();
  });
});

describe('splitLines: quotes and code', () => {
  it('reads "> " lines as quotes with the text after the ">", and keeps ">90%" as text', () => {
    const [quoted, empty, comparison] = splitLines('> 客户原话\n>\n>90%的交易');
    expect(quoted).toMatchObject({ quote: true, text: '客户原话' });
    expect(empty).toMatchObject({ quote: true, text: '', blank: false });
    expect(comparison?.quote).toBeUndefined();
  });

  it('marks a fenced code block, keeping its lines as typed: no markers, no links, blank lines kept', () => {
    const lines = splitLines('1. 脚本\n    ```sh\n    - step https://x.com\n\n      indented\n    ```\n- after');
    expect(lines.map((l) => l.code)).toEqual([undefined, 'open', 'body', 'body', 'body', 'close', undefined]);
    expect(lines[2]).toMatchObject({ text: '- step https://x.com', indent: 4, blank: false });
    expect(lines[2]?.marker).toBeUndefined();
    expect(lines[4]?.text).toBe('  indented');
    expect(lines[6]?.marker?.kind).toBe('bullet');
  });

  it('keeps ```inline``` on one line as text, and runs an unclosed fence to the end', () => {
    expect(splitLines('```inline``` 代码').map((l) => l.code)).toEqual([undefined]);
    expect(splitLines('~~~\na\n```\nb').map((l) => l.code)).toEqual(['open', 'body', 'body', 'body']);
  });
});

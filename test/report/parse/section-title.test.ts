import { describe, expect, it } from 'vitest';
import { sectionNamedByFirstLine, withoutTitleLine } from '../../../src/report/parse/section-title.ts';

const sections = [
  { id: 'beiyizhuan', title: '【贝易转】' },
  { id: 'o1', title: '【O1 业务服务】' },
  { id: 'o2', title: '【O2 能力升级】' },
  { id: 'reflections', title: '收获与反思' },
];

describe('sectionNamedByFirstLine', () => {
  it.each([
    ['## 【O2 能力升级】\n1. 银商POS', 'o2'],
    ['【O2 能力升级】：\n1. 银商POS', 'o2'],
    ['\n\n  o2 能力升级:\n1. 银商POS', 'o2'],
    ['- 【贝易转】\n1. 业务侧', 'beiyizhuan'],
    ['**【O1 业务服务】**', 'o1'],
    ['# 收获与反思', 'reflections'],
  ])('finds the section %j names on its first line', (text, id) => {
    expect(sectionNamedByFirstLine(text, sections)?.id).toBe(id);
  });

  it.each(['1. 银商POS', '【O2 能力升级】银商POS上线', '', '1. 银商POS\n## 【O2 能力升级】'])('finds none in %j', (text) => {
    expect(sectionNamedByFirstLine(text, sections)).toBeUndefined();
  });
});

describe('withoutTitleLine', () => {
  it('blanks the first line when it repeats the title, keeping the line count', () => {
    expect(withoutTitleLine(['', '## 【O1 业务服务】', '1. a'], '【O1 业务服务】')).toEqual(['', '', '1. a']);
  });

  it('leaves a reply that starts with anything else alone', () => {
    expect(withoutTitleLine(['## 【O2 能力升级】', '1. a'], '【O1 业务服务】')).toEqual(['## 【O2 能力升级】', '1. a']);
  });
});

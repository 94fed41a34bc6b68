import { describe, expect, it } from 'vitest';
import type { SectionContent } from '../../../src/report/model.ts';
import { parseReply, type ParseReplyResult } from '../../../src/report/parse/index.ts';

const section = { kind: 'entries', title: '【生产事件】', notePrefixes: ['详细记录：', '详细记录:', '备注：', '备注:'] } as const;

function parse(text: string): ParseReplyResult {
  return parseReply({ source: 'text', text }, section);
}

function entries(text: string): Extract<SectionContent, { kind: 'entries' }> {
  const result = parse(text);
  if (!result.ok) throw new Error(result.error.message);
  if (result.content.kind !== 'entries') throw new Error(`expected entries, got ${result.content.kind}`);
  return result.content;
}

describe('entries', () => {
  it.each([
    ['06/03 18:31 拉卡拉通道异常', '06/03 18:31'],
    ['06/03 8:31 拉卡拉通道异常', '06/03 8:31'],
    ['6/3 18:31 拉卡拉通道异常', '06/03 18:31'],
    ['06-03 18:31 拉卡拉通道异常', '06/03 18:31'],
    ['０６/０３ １８：３１ 拉卡拉通道异常', '06/03 18:31'],
    ['０６／０３\u3000１８：３１\u3000拉卡拉通道异常', '06/03 18:31'],
    ['06/03  18:31   拉卡拉通道异常', '06/03 18:31'],
  ])('reads the time in %j as ASCII, the date as MM/DD and the time as typed', (line, time) => {
    expect(entries(line).entries).toEqual([{ time, text: '拉卡拉通道异常' }]);
  });

  it.each(['- 06/03 18:31 拉卡拉通道异常', '1. 06/03 18:31 拉卡拉通道异常', '• 06/03 18:31 拉卡拉通道异常', '1) 06/03 18:31 拉卡拉通道异常'])(
    'drops a list marker before the time in %j',
    (line) => {
      expect(entries(line).entries).toEqual([{ time: '06/03 18:31', text: '拉卡拉通道异常' }]);
    },
  );

  it('reads entries separated by blank lines or typed one after another', () => {
    const expected = [
      { time: '06/06 10:54', text: '拉卡拉通道异常，导致交易侧与通道侧状态不一致' },
      { time: '06/06 11:30', text: '银企中国银行前置机异常，导致查询类请求异常' },
    ];
    expect(entries('06/06 10:54 拉卡拉通道异常，导致交易侧与通道侧状态不一致\n\n06/06 11:30 银企中国银行前置机异常，导致查询类请求异常').entries).toEqual(
      expected,
    );
    expect(entries('06/06 10:54 拉卡拉通道异常，导致交易侧与通道侧状态不一致\n06/06 11:30 银企中国银行前置机异常，导致查询类请求异常').entries).toEqual(
      expected,
    );
  });

  it('joins a following line without a time to its entry with a line break', () => {
    expect(entries('06/05 05:12 清结算请求账户有1笔记账失败\n  原因：记账获取分布式锁失败').entries).toEqual([
      { time: '06/05 05:12', text: '清结算请求账户有1笔记账失败\n原因：记账获取分布式锁失败' },
    ]);
  });

  it('reads lines starting with a note prefix as notes, with bare URLs linked', () => {
    expect(entries('06/05 05:12 记账失败\n\n详细记录：https://wiki.lianjia.com/display/LFTQA/2024.6\n备注: 已复盘')).toEqual({
      kind: 'entries',
      entries: [{ time: '06/05 05:12', text: '记账失败' }],
      notes: ['详细记录：[https://wiki.lianjia.com/display/LFTQA/2024.6](https://wiki.lianjia.com/display/LFTQA/2024.6)', '备注: 已复盘'],
    });
  });

  it('reads a note typed right after an entry as a note, not as the entry continued', () => {
    expect(entries('06/05 05:12 记账失败\n备注：已复盘').notes).toEqual(['备注：已复盘']);
  });

  it('rejects a paragraph without a time, quoting its first line', () => {
    const result = parse('06/05 05:12 记账失败\n\n原因：记账获取分布式锁失败');
    expect(result).toMatchObject({ ok: false, error: { code: 'entry_without_time', line: '原因：记账获取分布式锁失败', lineNumber: 3 } });
  });

  it('rejects a date or time that does not exist', () => {
    expect(parse('13/45 18:31 记账失败')).toMatchObject({ ok: false, error: { code: 'entry_without_time', lineNumber: 1 } });
    expect(parse('06/03 25:10 记账失败')).toMatchObject({ ok: false, error: { code: 'entry_without_time' } });
  });

  it.each([
    ['2024-06-05 10:02 银行虚户', '06/05 10:02'],
    ['2024/6/5 10:02 银行虚户', '06/05 10:02'],
    ['6月5日 10:02 银行虚户', '06/05 10:02'],
    ['6月5日10:02 银行虚户', '06/05 10:02'],
    ['6月5号 10:02 银行虚户', '06/05 10:02'],
    ['2024年6月5日 10:02 银行虚户', '06/05 10:02'],
    ['６月５日　１０：０２ 银行虚户', '06/05 10:02'],
    ['6/5 10:02 银行虚户', '06/05 10:02'],
    ['6-5 10:02 银行虚户', '06/05 10:02'],
    ['- 2024-06-05 9:02 银行虚户', '06/05 9:02'],
  ])('accepts the time %j and writes it the report way', (line, time) => {
    expect(entries(line).entries).toEqual([{ time, text: '银行虚户' }]);
  });

  it.each(['6/31 10:02 记账失败', '2023-02-29 10:02 记账失败', '6月32日 10:02 记账失败', '2024-06-05 记账失败'])(
    'rejects %j: no such date, or no time',
    (line) => {
      expect(parse(line)).toMatchObject({ ok: false, error: { code: 'entry_without_time', lineNumber: 1 } });
    },
  );

  it('adds a code block or a quote to the entry above, even after a blank line', () => {
    expect(entries('06/05 05:12 记账失败\n\n```\nLockTimeoutException\n  at pay.Ledger\n```\n\n> 已复盘').entries).toEqual([
      { time: '06/05 05:12', text: '记账失败\n```\nLockTimeoutException\n  at pay.Ledger\n```\n> 已复盘' },
    ]);
  });

  it('rejects a code block with no entry above it, quoting its fence', () => {
    expect(parse('```\nlog\n```')).toMatchObject({ ok: false, error: { code: 'entry_without_time', line: '```', lineNumber: 1 } });
  });
});

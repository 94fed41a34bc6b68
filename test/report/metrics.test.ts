import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { formatIssuePath, SectionDefinition } from '../../src/report/definition.ts';
import {
  assessMetric,
  checkTarget,
  compareWithPrevious,
  extractMetrics,
  MetricDefinition,
  MetricDefinitions,
  metricProblemMessage,
  type MetricProblem,
} from '../../src/report/metrics/index.ts';

const REFERENCE_REPLY = readFileSync(new URL('../../seeds/2024-W23/metrics.md', import.meta.url), 'utf8');

/** The metrics section of the shipped payments template, parsed as the definition loader parses it. */
function paymentsMetrics(): MetricDefinition[] {
  const raw = YAML.parse(readFileSync(new URL('../../templates/payments-weekly.yaml', import.meta.url), 'utf8')) as {
    sections: { id: string }[];
  };
  const section = SectionDefinition.parse(raw.sections.find((s) => s.id === 'metrics'));
  return section.metrics ?? [];
}

function metric(raw: Record<string, unknown>): MetricDefinition {
  return MetricDefinition.parse(raw);
}

const depositRate = metric({ id: 'deposit-success-rate', label: '入金有效成功率', unit: '%', target: '≥ 99.95%' });
const abIncidents = metric({ id: 'incidents-ab', label: 'AB级', unit: 'count', target: '≤ 0' });
const cdIncidents = metric({ id: 'incidents-cd', label: 'CD级', unit: 'count', better: 'lower' });
const outstanding = metric({ id: 'recovery-outstanding', label: '待追回', unit: 'amount', better: 'lower' });

function valuesOf(text: string, metrics: readonly MetricDefinition[]): Record<string, number> {
  const { values, problems } = extractMetrics(text, metrics);
  expect(problems).toEqual([]);
  return Object.fromEntries(values.map((v) => [v.id, v.value]));
}

describe('metric declarations', () => {
  it('reads every metric the payments template declares from the reference reply', () => {
    const { values, problems } = extractMetrics(REFERENCE_REPLY, paymentsMetrics());
    expect(problems).toEqual([]);
    expect(values.map((v) => [v.id, v.value, v.unit])).toEqual([
      ['deposit-success-rate', 99.987, '%'],
      ['payout-success-rate', 99.98, '%'],
      ['availability', 100, '%'],
      ['incidents-ab', 0, 'count'],
      ['incidents-cd', 1, 'count'],
      ['recovery-merchants', 1, 'count'],
      ['recovery-amount', 322, 'amount'],
      ['recovery-settled', 128.8, 'amount'],
      ['recovery-outstanding', 193.2, 'amount'],
    ]);
    expect(values[0]).toMatchObject({ line: '- 入金有效成功率：99.987%', lineNumber: 3 });
  });

  it('reads a target typed as ≥ 99.95% or >= 99.95 into a comparator and a value', () => {
    expect(depositRate.target).toEqual({ comparator: '>=', value: 99.95 });
    expect(metric({ id: 'x', label: 'x', unit: '%', target: '>= 99.95' }).target).toEqual({ comparator: '>=', value: 99.95 });
    expect(abIncidents.target).toEqual({ comparator: '<=', value: 0 });
  });

  it('rejects a target without a comparator, an unknown unit and a repeated label, saying what was expected', () => {
    const bad = MetricDefinition.safeParse({ id: 'x', label: 'x', unit: '%', target: '99.95' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toContain('expected a comparison like "≥ 99.95"');
    expect(MetricDefinition.safeParse({ id: 'x', label: 'x', unit: 'percent' }).success).toBe(false);
    const twice = MetricDefinitions.safeParse([
      { id: 'a', label: '待追回', unit: 'amount' },
      { id: 'b', label: '待追回', unit: 'amount' },
    ]);
    expect(twice.error?.issues.map((i) => [i.path, i.message])).toEqual([[[1, 'label'], 'metric label "待追回" is used twice']]);
  });

  it('points at the metric in the section when its target cannot be read', () => {
    const section = SectionDefinition.safeParse({
      id: 'metrics',
      title: '【系统运行数据】',
      kind: 'text',
      owners: ['owner-metrics'],
      metrics: [{ id: 'deposit-success-rate', label: '入金有效成功率', unit: '%', target: '99.95%' }],
    });
    expect(section.error?.issues.map((i) => formatIssuePath(i.path))).toEqual(['metrics[0].target']);
  });
});

describe('extracting metrics from a reply', () => {
  it.each([
    ['the reference format', '入金有效成功率：99.987%'],
    ['an ASCII colon', '入金有效成功率:99.987%'],
    ['spaces around a full-width colon', '入金有效成功率 ： 99.987 %'],
    ['a space before the percent sign', '入金有效成功率：99.987 %'],
    ['no colon at all', '入金有效成功率 99.987%'],
    ['an equals sign', '入金有效成功率 = 99.987%'],
    ['full-width digits and percent', '入金有效成功率：９９．９８７％'],
    ['bold Markdown around the number', '- 入金有效成功率：**99.987%**'],
    ['为 between label and number', '入金有效成功率为99.987%'],
  ])('reads %s', (_, line) => {
    expect(valuesOf(line, [depositRate])).toEqual({ 'deposit-success-rate': 99.987 });
  });

  it('reads counts typed straight after their label inside a sentence', () => {
    expect(valuesOf('- 事故数AB级0次，CD级1次。430事故复盘完毕待定级，', [abIncidents, cdIncidents])).toEqual({
      'incidents-ab': 0,
      'incidents-cd': 1,
    });
  });

  it('reads amounts with thousands separators and leaves a comma that ends a clause alone', () => {
    expect(valuesOf('其中 账户已沉淀金额：128.8 待追回：1,234.5', [outstanding])).toEqual({ 'recovery-outstanding': 1234.5 });
    expect(valuesOf('待追回：193.2，下周继续', [outstanding])).toEqual({ 'recovery-outstanding': 193.2 });
    expect(valuesOf('待追回：12,345,678', [outstanding])).toEqual({ 'recovery-outstanding': 12345678 });
  });

  it('gives a longer label its own number: 金额 is not read from 已沉淀金额', () => {
    const total = metric({ id: 'total', label: '金额', unit: 'amount' });
    const settled = metric({ id: 'settled', label: '已沉淀金额', unit: 'amount' });
    expect(valuesOf('账户已沉淀金额：128.8，金额 322', [total, settled])).toEqual({ total: 322, settled: 128.8 });
  });

  it('skips a mention of the label without a number and reads the line that has one', () => {
    const text = '入金有效成功率较上周持平\n- 入金有效成功率：99.987%';
    const { values } = extractMetrics(text, [depositRate]);
    expect(values[0]).toMatchObject({ value: 99.987, lineNumber: 2, line: '- 入金有效成功率：99.987%' });
  });

  it('does not read 1,23 as either 1 or 123', () => {
    const { values, problems } = extractMetrics('待追回：1,23', [outstanding]);
    expect(values).toEqual([]);
    expect(problems[0]?.code).toBe('metric_without_value');
  });

  it('names a missing metric and the line that would have worked, in Chinese and in English', () => {
    const text = REFERENCE_REPLY.replace(/^- 入金有效成功率.*\n/m, '');
    const { values, problems } = extractMetrics(text, paymentsMetrics());
    expect(values).toHaveLength(8);
    expect(problems).toEqual<MetricProblem[]>([
      { code: 'metric_missing', metricId: 'deposit-success-rate', label: '入金有效成功率', expectedLine: '入金有效成功率：99.95%' },
    ]);
    expect(metricProblemMessage(problems[0]!, 'zh-CN')).toBe('回复里没有找到“入金有效成功率”（deposit-success-rate）。请加一行，例如：入金有效成功率：99.95%');
    expect(metricProblemMessage(problems[0]!, 'en')).toBe(
      '"入金有效成功率" (deposit-success-rate) was not found in your reply. Add a line like: 入金有效成功率：99.95%',
    );
  });

  it('quotes the line where a label has no number after it', () => {
    const { problems } = extractMetrics('支付成功率：\n\n- 入金有效成功率：待补充', [depositRate]);
    expect(problems).toEqual<MetricProblem[]>([
      {
        code: 'metric_without_value',
        metricId: 'deposit-success-rate',
        label: '入金有效成功率',
        line: '- 入金有效成功率：待补充',
        lineNumber: 3,
        expectedLine: '入金有效成功率：99.95%',
      },
    ]);
    expect(metricProblemMessage(problems[0]!, 'zh-CN')).toBe(
      '第 3 行有“入金有效成功率”（deposit-success-rate），但后面没有数值：“- 入金有效成功率：待补充”。请这样写：入金有效成功率：99.95%',
    );
    expect(metricProblemMessage(problems[0]!, 'en')).toContain('Line 3 names "入金有效成功率" (deposit-success-rate) but no number follows it');
  });

  it('suggests a count without a target as label：0', () => {
    const { problems } = extractMetrics('', [cdIncidents]);
    expect(problems[0]).toMatchObject({ code: 'metric_missing', expectedLine: 'CD级：0' });
  });
});

describe('targets and last week', () => {
  it('meets a ≥ target on the line and misses it below', () => {
    expect(checkTarget({ comparator: '>=', value: 99.95 }, 99.95)).toBe('met');
    expect(checkTarget({ comparator: '>=', value: 99.95 }, 99.949)).toBe('missed');
    expect(checkTarget({ comparator: '>', value: 99.95 }, 99.95)).toBe('missed');
    expect(checkTarget({ comparator: '<=', value: 0 }, 1)).toBe('missed');
    expect(checkTarget({ comparator: '<', value: 1 }, 0)).toBe('met');
  });

  it('gives the change since last week in the digits typed, and whether it is better', () => {
    expect(compareWithPrevious(depositRate, 99.987, 99.98)).toEqual({
      current: 99.987,
      previous: 99.98,
      delta: 0.007,
      direction: 'up',
      assessment: 'better',
    });
    expect(compareWithPrevious(outstanding, 193.2, 322)).toMatchObject({ delta: -128.8, direction: 'down', assessment: 'better' });
    expect(compareWithPrevious(cdIncidents, 1, 0)).toMatchObject({ delta: 1, direction: 'up', assessment: 'worse' });
    expect(compareWithPrevious(abIncidents, 0, 0)).toMatchObject({ delta: 0, direction: 'flat', assessment: 'unchanged' });
    const settled = metric({ id: 'settled', label: '已沉淀金额', unit: 'amount' });
    expect(compareWithPrevious(settled, 128.8, 100)).toMatchObject({ delta: 28.8, assessment: 'neutral' });
  });

  it('assesses a metric against its target and last week together', () => {
    expect(assessMetric(depositRate, 99.94, 99.987)).toEqual({
      id: 'deposit-success-rate',
      value: 99.94,
      target: { target: { comparator: '>=', value: 99.95 }, status: 'missed' },
      change: { current: 99.94, previous: 99.987, delta: -0.047, direction: 'down', assessment: 'worse' },
    });
    expect(assessMetric(cdIncidents, 1)).toEqual({ id: 'incidents-cd', value: 1 });
  });
});

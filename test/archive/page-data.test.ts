import { describe, expect, it } from 'vitest';
import { chartOptionJson, scriptSafeJson } from '../../src/archive/chart-json.ts';
import { MAX_QUERY_CHARS, normaliseQuery, searchSnippets } from '../../src/archive/search.ts';
import { trendChartOption } from '../../src/charts/trend-chart.ts';

describe('a chart option in the page', () => {
  it('cannot end its script element, whatever its text says, and reads back as the same value', () => {
    const option = { title: { text: '</script><script>alert(1)</script> <!-- & \u2028' } };
    const safe = scriptSafeJson(chartOptionJson(option));
    expect(safe).not.toMatch(/[<>&\u2028]/);
    expect(JSON.parse(safe)).toEqual(option);
  });

  it('is the PNG chart’s option, with its axis formatters as ECharts templates', () => {
    const option = trendChartOption({
      title: 'T',
      endWeek: '2024-W23',
      weeks: 4,
      series: [{ label: '成功率', unit: '%', target: { comparator: '>=', value: 99.95 }, points: [{ week: '2024-W23', value: 99.98 }] }],
    });
    const json = JSON.parse(chartOptionJson(option));
    expect(json.yAxis[0].axisLabel.formatter).toBe('{value}%');
    expect(json.series[0].data.at(-1)).toBe(99.98);
    expect(json.xAxis.data).toEqual(['2024-W20', '2024-W21', '2024-W22', '2024-W23']);
  });
});

describe('searching the reports', () => {
  it('finds words in any case, with the text around them on one line', () => {
    const text = `${'a'.repeat(100)} Payment Routing went live\nnext line`;
    expect(searchSnippets(text, 'payment routing')).toEqual([{ before: `…${'a'.repeat(59)} `, match: 'Payment Routing', after: ' went live next line' }]);
  });

  it('shows at most three matches a week, and nothing for an empty query', () => {
    expect(searchSnippets('x x x x x', 'x')).toHaveLength(3);
    expect(searchSnippets('anything', '   ')).toEqual([]);
  });

  it('reads at most MAX_QUERY_CHARS of a query, its spaces as one', () => {
    expect(normaliseQuery('  a \n b  ')).toBe('a b');
    expect(normaliseQuery('q'.repeat(5000))).toHaveLength(MAX_QUERY_CHARS);
  });
});

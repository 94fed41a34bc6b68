/**
 * A chart's ECharts option as JSON for the page, and as a `<script type="application/json">` body.
 * The PNG's option (src/charts/trend-chart.ts) has two kinds of functions, which JSON cannot carry:
 * value-axis label formatters, baked here into ECharts' string template (`{value}%` when the
 * formatter adds a `%`), and the week axis's label picker, left to ECharts' own label layout.
 */
export function chartOptionJson(option: unknown): string {
  return JSON.stringify(option, (key, value: unknown) => {
    if (typeof value !== 'function') return value;
    if (key === 'formatter') return bakedFormatter(value as (v: number) => unknown);
    return undefined;
  });
}

function bakedFormatter(formatter: (value: number) => unknown): string | undefined {
  try {
    const sample = formatter(1);
    return typeof sample === 'string' && sample.endsWith('%') ? '{value}%' : '{value}';
  } catch {
    // A formatter for another kind of value (the week axis's takes a week): ECharts' default.
    return undefined;
  }
}

/**
 * JSON safe inside a `<script>` element: the HTML parser ends the element at `</script` whatever
 * the JSON says, and reads `<!--` there too. Escaping every `<`, `>` and `&` as \u sequences keeps
 * the JSON the same value and the element unbroken; U+2028/2029 are escaped for old JS parsers.
 */
export function scriptSafeJson(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

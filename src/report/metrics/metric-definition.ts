import { z } from 'zod';

/**
 * A number a section's owner reports every week (入金有效成功率 99.987%), declared on the section in
 * templates/<id>.yaml. Metrics only feed the digest and the trend charts: the report document prints
 * the owner's text as typed, whatever is declared here.
 */

export const METRIC_UNITS = ['%', 'count', 'amount'] as const;
export const MetricUnit = z.enum(METRIC_UNITS);
export type MetricUnit = z.infer<typeof MetricUnit>;

export const COMPARATORS = ['>=', '>', '<=', '<'] as const;
export type Comparator = (typeof COMPARATORS)[number];

export interface MetricTarget {
  comparator: Comparator;
  value: number;
}

const TYPED_COMPARATORS: Readonly<Record<string, Comparator>> = { '≥': '>=', '>=': '>=', '>': '>', '≤': '<=', '<=': '<=', '<': '<' };

const TARGET_PATTERN = /^\s*(≥|>=|>|≤|<=|<)\s*(-?\d+(?:\.\d+)?)\s*%?\s*$/;

/** `≥ 99.95%` in YAML; a bare number would not say which side of it is good. */
export const MetricTargetSchema = z.union([z.string(), z.number()]).transform((raw, ctx): MetricTarget => {
  const match = typeof raw === 'string' ? TARGET_PATTERN.exec(raw) : null;
  if (!match) {
    ctx.addIssue({ code: 'custom', message: `expected a comparison like "≥ 99.95" or "<= 0", got ${JSON.stringify(raw)}` });
    return z.NEVER;
  }
  return { comparator: TYPED_COMPARATORS[match[1]!]!, value: Number(match[2]) };
});

export const MetricDefinition = z
  .object({
    /** Stable across weeks: history and charts are keyed by it, so rename the label, not the id. */
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected a lower-case id like deposit-success-rate'),
    /** The words the owner types just before the number: 入金有效成功率, or AB级 in 事故数AB级0次. */
    label: z.string().trim().min(1),
    unit: MetricUnit,
    target: MetricTargetSchema.optional(),
    /** Which way is an improvement; when omitted it follows the target's comparator. */
    better: z.enum(['higher', 'lower']).optional(),
  })
  .strict();
export type MetricDefinition = z.infer<typeof MetricDefinition>;

/** A section's `metrics:` list. Ids must be unique, and so must labels, or a number would count twice. */
export const MetricDefinitions = z.array(MetricDefinition).superRefine((metrics, ctx) => {
  const ids = new Set<string>();
  const labels = new Set<string>();
  metrics.forEach((metric, i) => {
    if (ids.has(metric.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `metric id "${metric.id}" is used twice` });
    if (labels.has(metric.label)) {
      ctx.addIssue({ code: 'custom', path: [i, 'label'], message: `metric label "${metric.label}" is used twice` });
    }
    ids.add(metric.id);
    labels.add(metric.label);
  });
});

/** Which way is an improvement: declared, or read from the target (≥ means higher). */
export function betterDirection(metric: MetricDefinition): 'higher' | 'lower' | undefined {
  if (metric.better) return metric.better;
  if (!metric.target) return undefined;
  return metric.target.comparator.startsWith('>') ? 'higher' : 'lower';
}

const PRINTED_COMPARATORS: Readonly<Record<Comparator, string>> = { '>=': '≥', '>': '>', '<=': '≤', '<': '<' };

/** `≥ 99.95%`, as people read it in charts and the digest. */
export function formatTarget(target: MetricTarget, unit: MetricUnit): string {
  return `${PRINTED_COMPARATORS[target.comparator]} ${target.value}${unit === '%' ? '%' : ''}`;
}

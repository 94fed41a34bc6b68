import { mergeContents, sectionParticipation, type SectionAnswer } from '../section-answers.ts';
import type { SectionDefinition, TeamDefinition } from '../definition.ts';
import type { ListItem, SectionContent } from '../model.ts';
import { extractMetrics, type MetricProblem, type MetricValue } from '../metrics/index.ts';

/**
 * What one week's answers hold beyond the printed document: the declared metrics read from their
 * sections, and the timestamped entries (incidents). Pure: answers in, data out.
 */

export interface SectionMetrics {
  sectionId: string;
  values: MetricValue[];
  problems: MetricProblem[];
}

/** Each section that declares metrics, with the values read from its merged answers (none when unanswered). */
export function weekMetrics(definition: TeamDefinition, answers: readonly SectionAnswer[]): SectionMetrics[] {
  return definition.sections.flatMap((section) => {
    const read = sectionMetrics(
      section,
      answers.filter((a) => a.sectionId === section.id),
    );
    return read ? [read] : [];
  });
}

/**
 * The declared metrics of one section read from its answers (any order), merged as the report
 * merges them: what the owner's confirmation and the export both say. Null for a section that
 * declares none; no values and no problems when nobody wrote anything (unanswered, or skipped).
 */
export function sectionMetrics(section: SectionDefinition, answers: readonly SectionAnswer[]): SectionMetrics | null {
  if (!section.metrics?.length) return null;
  const { ordered } = sectionParticipation(section, answers);
  const merged = mergeContents(
    section,
    ordered.filter((a) => !a.skipped).map((a) => a.content),
  );
  if (!merged) return { sectionId: section.id, values: [], problems: [] };
  return { sectionId: section.id, ...extractMetrics(contentText(merged), section.metrics) };
}

/** Metric values of a week by metric id (the first section declaring an id wins). */
export function metricValuesById(sections: readonly SectionMetrics[]): Map<string, MetricValue> {
  const out = new Map<string, MetricValue>();
  for (const value of sections.flatMap((s) => s.values)) if (!out.has(value.id)) out.set(value.id, value);
  return out;
}

export interface WeekEntry {
  week: string;
  sectionId: string;
  /** As typed, normalised to ASCII digits: `06/03 18:31`. */
  time: string;
  text: string;
}

/** The timestamped entries of every `entries` section (【生产事件】), in report order. */
export function weekEntries(definition: TeamDefinition, week: string, answers: readonly SectionAnswer[]): WeekEntry[] {
  return definition.sections.flatMap((section) => {
    if (section.kind !== 'entries') return [];
    const { ordered } = sectionParticipation(
      section,
      answers.filter((a) => a.sectionId === section.id),
    );
    const merged = mergeContents(
      section,
      ordered.filter((a) => !a.skipped).map((a) => a.content),
    );
    if (merged?.kind !== 'entries') return [];
    return merged.entries.map((e) => ({ week, sectionId: section.id, time: e.time, text: e.text }));
  });
}

/** A section's content as the plain lines its owner typed, for reading numbers out of it. */
export function contentText(content: SectionContent): string {
  switch (content.kind) {
    case 'text':
      return content.markdown;
    case 'entries':
      return [...content.entries.map((e) => `${e.time} ${e.text}`), ...content.notes].join('\n');
    case 'list':
      return listLines(content.items).join('\n');
  }
}

function listLines(items: readonly ListItem[]): string[] {
  return items.flatMap((item) => [item.text, ...listLines(item.children)]);
}

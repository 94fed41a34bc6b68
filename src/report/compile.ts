import Handlebars from 'handlebars';
import { BotError } from '../errors.ts';
import type { SectionDefinition, Team } from './definition.ts';
import type { GoalReview } from './goals.ts';
import { renderGoalReviews } from './goals-markdown.ts';
import { renderSectionMarkdown } from './render/section-markdown.ts';
import { mergeContents, sectionParticipation, type SectionAnswer } from './section-answers.ts';
import { formatInZone, formatWeek } from './week.ts';

/** What compileReport reads of each stored submission; its callers name it from here. */
export type { SectionAnswer } from './section-answers.ts';

export interface CompiledSection {
  id: string;
  title: string;
  /** Owners (people keys) who answered or skipped it themselves, in definition order. */
  answeredBy: string[];
  /** Owners who still owe it: all of them while nobody answered, none once one did (see sectionParticipation). */
  missing: string[];
  /** Heading and body as printed. */
  markdown: string;
}

export interface CompiledReport {
  teamId: string;
  week: string;
  title: string;
  created: string;
  sections: CompiledSection[];
  /** The whole document, as posted and as the `.md` file. */
  markdown: string;
}

export interface CompileInput {
  team: Team;
  week: string;
  createdAt: Date;
  answers: readonly SectionAnswer[];
  /** Last week's goals as reviewed this week, for `{{goals.review}}`; none: it prints nothing. */
  goalReviews?: readonly GoalReview[];
}

export class LayoutError extends BotError {
  override name = 'LayoutError';
  constructor(message: string, options?: ErrorOptions) {
    super('layout_invalid', message, options);
  }
}

/** (definition, week, creation time, answers) → the week's report. Pure: no clock, no I/O. */
export function compileReport({ team, week, createdAt, answers, goalReviews = [] }: CompileInput): CompiledReport {
  const { definition } = team;
  // Grouped once: filtering all answers per section would make compiling quadratic in sections.
  const answersBySection = new Map<string, SectionAnswer[]>();
  for (const answer of answers) {
    const group = answersBySection.get(answer.sectionId);
    if (group) group.push(answer);
    else answersBySection.set(answer.sectionId, [answer]);
  }
  const sections = definition.sections.map((section) => compileSection(section, answersBySection.get(section.id) ?? []));
  const title = formatWeek(week, definition.titleFormat);
  const created = formatInZone(createdAt, definition.timeZone, definition.createdFormat, definition.locale);
  const markdown = renderLayout(team, {
    title,
    week,
    created,
    name: definition.name,
    sections: joinSections(definition.sections, sections),
    section: Object.fromEntries(sections.map((s) => [s.id, s.markdown])),
    // Always present: layouts are compiled strict, and a week without a review prints nothing.
    goals: { review: renderGoalReviews(goalReviews, definition.locale) },
  });
  return { teamId: definition.id, week, title, created, sections, markdown };
}

/** One section from its own answers (any order), as the report prints it. */
export function compileSection(section: SectionDefinition, mine: readonly SectionAnswer[]): CompiledSection {
  const { ordered, answeredBy, missing } = sectionParticipation(section, mine);
  const skippedByAll = ordered.length > 0 && ordered.every((a) => a.skipped);
  // Skipped by every owner who answered: the section says so, in the definition's words.
  const printed = skippedByAll ? { ...section, emptyText: section.skipText ?? section.emptyText } : section;
  return {
    id: section.id,
    title: section.title,
    answeredBy,
    missing,
    markdown: renderSectionMarkdown(
      printed,
      mergeContents(
        section,
        ordered.filter((a) => !a.skipped).map((a) => a.content),
      ),
    ),
  };
}

/** Consecutive bullet-titled sections form one list; everything else is separated by a blank line. */
function joinSections(definitions: readonly SectionDefinition[], sections: readonly CompiledSection[]): string {
  return sections
    .map((s, i) => {
      if (i === 0) return s.markdown;
      const tight = definitions[i]?.heading === 'bullet' && definitions[i - 1]?.heading === 'bullet';
      return (tight ? '\n' : '\n\n') + s.markdown;
    })
    .join('');
}

const layoutCache = new WeakMap<Team, HandlebarsTemplateDelegate>();

function renderLayout(team: Team, data: Record<string, unknown>): string {
  let template = layoutCache.get(team);
  if (!template) {
    // An isolated environment with no helpers; owner text only ever arrives as data values,
    // and noEscape keeps Markdown characters as they are.
    template = Handlebars.create().compile(team.layout, { noEscape: true, strict: true });
    layoutCache.set(team, template);
  }
  try {
    return normaliseDocument(template(data));
  } catch (error) {
    throw new LayoutError(`${team.source}: layout ${team.definition.layout}: ${(error as Error).message}`);
  }
}

/** Trailing spaces trimmed, at most one blank line in a row, exactly one final newline. */
function normaliseDocument(text: string): string {
  return `${text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}

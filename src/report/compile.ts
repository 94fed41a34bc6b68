import Handlebars from 'handlebars';
import type { SectionDefinition, TeamReport } from './definition.ts';
import type { SectionContent } from './model.ts';
import { renderSectionMarkdown } from './render/section-markdown.ts';
import { formatInZone, formatWeek } from './week.ts';

/** What the compiler needs of a stored submission: whose it is and what it says. */
export interface SectionAnswer {
  sectionId: string;
  owner: string;
  content: SectionContent;
}

export interface CompiledSection {
  id: string;
  title: string;
  /** Owners (people keys) who answered / did not, in definition order. */
  answeredBy: string[];
  missing: string[];
  /** Heading and body as printed. */
  markdown: string;
}

export interface CompiledReport {
  reportId: string;
  week: string;
  title: string;
  created: string;
  sections: CompiledSection[];
  /** The whole document, as posted and as the `.md` file. */
  markdown: string;
}

export interface CompileInput {
  team: TeamReport;
  week: string;
  createdAt: Date;
  answers: readonly SectionAnswer[];
}

export class LayoutError extends Error {
  override name = 'LayoutError';
}

/** (definition, week, creation time, answers) → the week's report. Pure: no clock, no I/O. */
export function compileReport({ team, week, createdAt, answers }: CompileInput): CompiledReport {
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
  });
  return { reportId: definition.id, week, title, created, sections, markdown };
}

/** One section from its own answers (any order). */
function compileSection(section: SectionDefinition, mine: readonly SectionAnswer[]): CompiledSection {
  // Owners in definition order first; answers of people no longer listed come last, so nothing is lost.
  const ownerOrder = [...new Set([...section.owners, ...mine.map((a) => a.owner)])];
  const ordered = ownerOrder.flatMap((owner) => mine.filter((a) => a.owner === owner));
  return {
    id: section.id,
    title: section.title,
    answeredBy: ordered.map((a) => a.owner),
    missing: section.owners.filter((o) => !mine.some((a) => a.owner === o)),
    markdown: renderSectionMarkdown(section, mergeContents(section, ordered.map((a) => a.content))),
  };
}

/** Several owners' answers become one: items numbered continuously, paragraphs and entries in owner order. */
export function mergeContents(section: SectionDefinition, contents: SectionContent[]): SectionContent | null {
  if (contents.length === 0) return null;
  switch (section.kind) {
    case 'list':
      return { kind: 'list', items: contents.flatMap((c) => (c.kind === 'list' ? c.items : [])) };
    case 'text':
      return {
        kind: 'text',
        markdown: contents
          .map((c) => (c.kind === 'text' ? c.markdown : ''))
          .filter((m) => m.trim() !== '')
          .join('\n\n'),
      };
    case 'entries':
      return {
        kind: 'entries',
        entries: contents.flatMap((c) => (c.kind === 'entries' ? c.entries : [])),
        notes: contents.flatMap((c) => (c.kind === 'entries' ? c.notes : [])),
      };
  }
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

const layoutCache = new WeakMap<TeamReport, HandlebarsTemplateDelegate>();

function renderLayout(team: TeamReport, data: Record<string, unknown>): string {
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

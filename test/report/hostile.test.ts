import markdownIt, { type Token } from 'markdown-it';
import { describe, expect, it } from 'vitest';
import type { CompiledReport } from '../../src/report/compile.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import { REPLY_ERROR_CODES } from '../../src/report/parse/index.ts';
import { hostileInputs, loadPaymentsTeam, routesFor, runHostileInput, sectionOf, TARGET_SECTIONS, type HostileOutcome } from './hostile-corpus.ts';
import { documentOutline, expectedOutline, outlineDifferences, PARSERS } from './markdown-outline.ts';
import { controlsShown, ownerTextKept, withoutListMarkers } from './owner-text-check.ts';

/**
 * Every input of test/fixtures/hostile/ goes into a section of each kind (and a list under a title
 * bullet), through the parser and as stored content. Whatever it is, either the parser refuses it
 * with a message, or the compiled document keeps the layout's outline, prints every character the
 * owner typed (escaped at most), has no live HTML or script link and no hidden control character,
 * and the messages each platform module renders (Slack, Feishu, the console) carry the whole document.
 */

const team = await loadPaymentsTeam();

// Links as written, without markdown-it's own javascript:/data: filter, so the document's safety is what is tested.
const permissive = markdownIt('default', { html: true });
permissive.validateLink = () => true;

const SAFE_TARGET = /^(?:(?:https?|mailto|tel|ftp):|[^:&\\]*(?:[/?#]|$))/i;
const squash = (text: string) => text.replace(/\s+/gu, '');

function allTokens(tokens: Token[]): Token[] {
  return tokens.flatMap((t) => [t, ...allTokens(t.children ?? [])]);
}

/** The document's lines from the section's title to the next section's title. */
function sectionSlice(report: CompiledReport, section: SectionDefinition, definitions: readonly SectionDefinition[]): string {
  const titleLine = (s: SectionDefinition) => (s.heading === 'bullet' ? `- ${s.title}` : `${'#'.repeat(Number(s.heading.slice(1)))} ${s.title}`);
  const lines = report.markdown.split('\n');
  const start = lines.indexOf(titleLine(section));
  const next = definitions[definitions.indexOf(section) + 1];
  const end = next ? lines.indexOf(titleLine(next), start + 1) : lines.length;
  expect(start, `title line of ${section.id}`).toBeGreaterThanOrEqual(0);
  expect(end, `title line after ${section.id}`).toBeGreaterThan(start);
  return lines.slice(start + 1, end).join('\n');
}

function expectSafe(outcome: Exclude<HostileOutcome, { refused: unknown }>, text: string, section: SectionDefinition, t: Team): void {
  const { report, route } = outcome;
  const where = `${route}: `;

  const expected = expectedOutline(t, { title: report.title, created: report.created, week: report.week });
  for (const [name, md] of Object.entries(PARSERS)) {
    expect(outlineDifferences(documentOutline(report.markdown, md), expected), `${where}outline under markdown-it ${name}`).toEqual([]);
  }

  const typed = route === 'stored content' ? text : withoutListMarkers(outcome.typed);
  expect(ownerTextKept(typed, sectionSlice(report, section, t.definition.sections)), `${where}owner text kept`).toEqual({ ok: true });
  expect(controlsShown(outcome.typed, report.markdown), `${where}control characters`).toEqual({ ok: true });

  const tokens = allTokens(permissive.parse(report.markdown, {}));
  expect(tokens.filter((tk) => tk.type === 'html_block' || tk.type === 'html_inline').map((tk) => tk.content), `${where}raw HTML`).toEqual([]);
  const targets = tokens.flatMap((tk) => [tk.attrGet('href'), tk.attrGet('src')]).filter((x): x is string => x !== null);
  expect(targets.filter((target) => !SAFE_TARGET.test(target)), `${where}link targets`).toEqual([]);

  expect(Object.keys(outcome.messages)).toEqual(expect.arrayContaining(['slack', 'feishu']));
  for (const [platform, parts] of Object.entries(outcome.messages)) {
    expect(squash(parts.join('')), `${where}${platform} messages`).toBe(squash(report.markdown));
  }
}

describe('hostile input', () => {
  describe.each(hostileInputs().map((input) => [input.name, input] as const))('%s', (_name, { text }) => {
    it.each(TARGET_SECTIONS)('is refused with a message or printed as data in %s', (id) => {
      const section = sectionOf(team, id);
      for (const route of routesFor(section)) {
        const outcome = runHostileInput(team, section, text, route);
        if ('refused' in outcome) {
          expect(REPLY_ERROR_CODES).toContain(outcome.refused.code);
          expect(outcome.refused.message.trim(), `${route}: refusal message`).not.toBe('');
        } else {
          expectSafe(outcome, text, section, team);
        }
      }
    });
  });

  it('has inputs that reach the document, not only refusals', () => {
    const accepted = hostileInputs().filter(({ text }) => !('refused' in runHostileInput(team, sectionOf(team, 'metrics'), text, 'parser')));
    expect(accepted.length).toBeGreaterThan(30);
  });
});

import { describe, expect, it } from 'vitest';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import { REPLY_ERROR_CODES } from '../../src/report/parse/index.ts';
import { hostileInputs, loadPaymentsTeam, routesFor, runHostileInput, sectionOf, TARGET_SECTIONS, type HostileOutcome } from './hostile-corpus.ts';
import { documentOutline, expectedOutline, outlineDifferences, PARSERS } from './markdown-outline.ts';
import { controlsShown, ownerTextKept, withoutListMarkers } from './owner-text-check.ts';
import { liveMarkup, sectionSlice, squash } from './document-checks.ts';

/**
 * Every input of test/fixtures/hostile/ goes into a section of each kind (and a list under a title
 * bullet), through the parser and as stored content. Whatever it is, either the parser refuses it
 * with a message, or the compiled document keeps the layout's outline, prints every character the
 * owner typed (escaped at most), has no live HTML or script link and no hidden control character,
 * and the messages each platform module renders (Slack, Feishu, the console) carry the whole document.
 */

const team = await loadPaymentsTeam();

function expectSafe(outcome: Exclude<HostileOutcome, { refused: unknown }>, text: string, section: SectionDefinition, t: Team): void {
  const { report, route } = outcome;
  const where = `${route}: `;

  const expected = expectedOutline(t, { title: report.title, created: report.created, week: report.week });
  for (const [name, md] of Object.entries(PARSERS)) {
    expect(outlineDifferences(documentOutline(report.markdown, md), expected), `${where}outline under markdown-it ${name}`).toEqual([]);
  }

  const typed = route === 'stored content' ? text : withoutListMarkers(outcome.typed);
  expect(ownerTextKept(typed, sectionSlice(report.markdown, section, t.definition.sections)), `${where}owner text kept`).toEqual({ ok: true });
  expect(controlsShown(outcome.typed, report.markdown), `${where}control characters`).toEqual({ ok: true });

  expect(liveMarkup(report.markdown), `${where}raw HTML and link targets`).toEqual({ html: [], unsafeTargets: [] });

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

import { describe, expect, it } from 'vitest';
import { loadTeamById } from '../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';
import { compileReport, type SectionAnswer } from '../../src/report/compile.ts';
import { parseReply } from '../../src/report/parse/index.ts';
import { readRepliesDir } from '../../src/seed/replies-dir.ts';
import { EXPECTED_MD, REFERENCE_CREATED, SEEDS_DIR } from '../support/golden.ts';
import { documentOutline, expectedOutline, outlineDifferences, PARSERS } from './markdown-outline.ts';

/** The reference document, read by a real CommonMark parser, has the outline its layout and definition promise. */
describe('the report outline under markdown-it', () => {
  it.each(Object.keys(PARSERS))('is the layout’s for the 2024-W23 reference (%s)', async (name) => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const { replies } = await readRepliesDir(SEEDS_DIR, team.definition);
    const answers: SectionAnswer[] = replies.map((reply) => {
      const section = team.definition.sections.find((s) => s.id === reply.sectionId)!;
      const parsed = parseReply({ source: 'text', text: reply.text }, section);
      if (!parsed.ok) throw new Error(`${reply.file}: ${parsed.error.message}`);
      return { sectionId: reply.sectionId, owner: reply.owner, content: parsed.content };
    });
    const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
    const expected = expectedOutline(team, report);
    expect(expected.filter((e) => e.kind === 'bullet').map((e) => e.text)).toEqual(['【贝易转】', '【装修存管项目】', '【430改进落地以及支付安全治理】']);
    expect(outlineDifferences(documentOutline(report.markdown, PARSERS[name]), expected)).toEqual([]);
    expect(outlineDifferences(documentOutline(EXPECTED_MD, PARSERS[name]), expected)).toEqual([]);
  });

  it('is the layout’s for a week nobody answered', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const report = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers: [] });
    expect(documentOutline(report.markdown)).toEqual(expectedOutline(team, report));
  });
});

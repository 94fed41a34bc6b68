import { describe, expect, it } from 'vitest';
import { loadTeamById } from '../../src/config/definitions.ts';
import { compileReport, type SectionAnswer } from '../../src/report/compile.ts';
import { FEISHU_CARD_LIMIT_BYTES, requestBytes, type FeishuCard } from '../../src/platforms/feishu/cards.ts';
import { feishuModule } from '../../src/platforms/feishu/module.ts';
import { renderSlackMessages, SLACK_MARKDOWN_LIMIT } from '../../src/platforms/slack/render-report.ts';
import { splitMarkdown } from '../../src/report/render/split.ts';
import { REFERENCE_CREATED } from '../support/golden.ts';
import { PLATFORM_MODULES } from '../../src/platforms/modules.ts';

/** A report of many long items, far beyond one message on either platform. */
async function bigReport() {
  const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
  const item = (n: number) => ({
    text: `第${n}项：${'支付链路出金测试方案梳理，输出出金安全的QA验证点。'.repeat(12)}`,
    children: [{ text: `子项 ${n}`, children: [] }],
  });
  const answers: SectionAnswer[] = ['o1', 'o2', 'o3', 'o4', 'other', 'next-week'].map((sectionId) => ({
    sectionId,
    owner: team.definition.sections.find((s) => s.id === sectionId)!.owners[0]!,
    content: { kind: 'list', items: Array.from({ length: 60 }, (_, i) => item(i + 1)) },
  }));
  return compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
}

/** Every line of the document is found whole in exactly one part. */
function expectNoLineCut(markdown: string, parts: string[]) {
  const partLines = parts.flatMap((p) => p.split('\n')).filter((l) => l !== '');
  expect(partLines).toEqual(markdown.split('\n').filter((l) => l !== ''));
}

describe('splitting the report for chat platforms', () => {
  it('keeps Slack messages within the markdown block limit without cutting an item', async () => {
    const report = await bigReport();
    const messages = renderSlackMessages(report);
    expect(messages.length).toBeGreaterThan(1);
    for (const m of messages) expect([...m.blocks[0].text].length).toBeLessThanOrEqual(SLACK_MARKDOWN_LIMIT);
    expectNoLineCut(
      report.markdown,
      messages.map((m) => m.blocks[0].text),
    );
    expect(messages[1]!.text).toMatch(/^2024-W23 \(2\/\d+\): /);
  });

  it('keeps the Feishu cards the bot posts under 30 KB without cutting an item', async () => {
    const report = await bigReport();
    const cards = feishuModule.reportPayloads(report) as FeishuCard[];
    expect(cards.length).toBeGreaterThan(1);
    for (const card of cards) expect(requestBytes(card)).toBeLessThan(FEISHU_CARD_LIMIT_BYTES);
    const markdown = cards.map((card) => card.body.elements.flatMap((e) => (e.tag === 'markdown' ? [e.content] : [])).join('\n'));
    expectNoLineCut(report.markdown, markdown);
  });

  it('writes the Slack notification text as words, not the Markdown of the title', async () => {
    const report = await bigReport();
    const [first] = renderSlackMessages(report);
    expect(first!.text).not.toContain('#');
    expect(first!.text).toMatch(/^2024-W23 \(1\/\d+\): Created: /);
  });

  it('prefers to cut between blocks, so that joining with a blank line gives the document back', () => {
    const doc = ['# T', 'a'.repeat(40), '- x\n    1. y', 'b'.repeat(40)].join('\n\n');
    const parts = splitMarkdown(doc, { limit: 50 });
    expect(parts.join('\n\n')).toBe(doc);
    expect(parts.every((p) => p.length <= 50)).toBe(true);
  });

  it('never starts a part with a paragraph indented under the item before it (it would read as code)', () => {
    // A section titled by a bullet that nobody answered: its empty text after a blank line, indented.
    const doc = `${'a'.repeat(40)}\n\n- 【A】\n\n    暂无\n- 【B】\n    1. x`;
    const parts = splitMarkdown(doc, { limit: 49 });
    expect(parts).toEqual(['a'.repeat(40), '- 【A】\n\n    暂无\n- 【B】\n    1. x']);
    expect(parts.join('\n\n')).toBe(doc);
  });

  it('cuts a single line longer than a part only as a last resort, losing nothing', () => {
    const line = '长'.repeat(25);
    const parts = splitMarkdown(`x\n\n${line}`, { limit: 10 });
    expect(parts.join('')).toBe(`x${line}`);
    expect(parts.every((p) => [...p].length <= 10)).toBe(true);
  });
});

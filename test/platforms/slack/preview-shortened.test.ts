import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { compileWeek } from '../../../handlers/cycle/publish.ts';
import { openWeek } from '../../../handlers/cycle/prompt.ts';
import { shortenMarkdown } from '../../../src/report/render/shorten.ts';
import { messagePayload } from '../../../src/platforms/slack/message-blocks.ts';
import { startSlackHarness, type SlackHarness } from './harness.ts';

const WEEK = '2024-W23';
const NOTE = '（预览已截断：每个部分只显示开头，完整内容见周报文件）';
/** Three sections of 5,000 items each (issue #14): the first, one in the middle, and the last of the report. */
const BIG_SECTIONS = [
  { sectionId: 'beiyizhuan', owner: 'owner-beiyizhuan' },
  { sectionId: 'o4', owner: 'owner-o4' },
  { sectionId: 'next-week', owner: 'lead' },
];

interface ResponseBody {
  text: string;
  blocks?: { type: string; text?: string | { text: string } }[];
}

/** A preview cut to fit Slack says so, and never stops before the last section (issue #14). */
describe('a preview too long for Slack', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness('slack_preview_shortened');
    await openWeek(h.ctx, h.team, WEEK);
    for (const [n, { sectionId, owner }] of BIG_SECTIONS.entries()) {
      const items = Array.from({ length: 5000 }, (_, i) => ({ text: `${sectionId} 第 ${i + 1} 项：完成了一件事`, children: [] }));
      await h.store.recordSubmission({
        teamId: 'payments-weekly',
        week: WEEK,
        sectionId,
        owner,
        platform: 'slack',
        eventId: `big-${n}`,
        rawText: '(5,000 items)',
        content: { kind: 'list', items },
        receivedAt: h.ctx.clock.now(),
      });
    }
  });
  afterEach(async () => {
    await h?.close();
  });

  const markdownOf = (body: ResponseBody) =>
    (body.blocks ?? []).map((b) => (b.type === 'markdown' ? (b.text as string) : typeof b.text === 'object' ? b.text.text : '')).join('\n');

  it('shows every section of the report, each from its beginning, within five messages, and ends saying it was shortened', async () => {
    expect((await h.command(h.slackId('lead'), 'preview')).status).toBe(200);
    const responses = h.fake.responses.map((r) => r.body as unknown as ResponseBody);
    expect(responses.length).toBeGreaterThan(1);
    expect(responses.length).toBeLessThanOrEqual(5);
    for (const body of responses) expect([...markdownOf(body)].length).toBeLessThanOrEqual(12_000);
    const shown = responses.map(markdownOf).join('\n');

    // Every section's title, in the report's order, the last one included.
    const titles = h.team.definition.sections.map((s) => s.title);
    const positions = titles.map((title) => shown.indexOf(title));
    expect(
      positions.every((p) => p >= 0),
      JSON.stringify(titles.filter((_, i) => positions[i]! < 0)),
    ).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    // Each big section shows its first items; its end is marked as left out.
    for (const { sectionId } of BIG_SECTIONS) {
      expect(shown).toContain(`${sectionId} 第 1 项：完成了一件事`);
      expect(shown).not.toContain(`${sectionId} 第 5000 项`);
    }
    expect(markdownOf(responses.at(-1)!).trimEnd().endsWith(NOTE)).toBe(true);
  });

  it('keeps a preview that fits as it is, and shortens the compiled report keeping its outline', async () => {
    const report = await compileWeek(h.ctx, h.team, (await h.store.getCycle('payments-weekly', WEEK))!);
    expect(shortenMarkdown('# A\n\n- x', 100, NOTE)).toEqual({ text: '# A\n\n- x', shortened: false });
    const { text, shortened } = shortenMarkdown(report.markdown, 30_000, NOTE);
    expect(shortened).toBe(true);
    expect([...text].length).toBeLessThanOrEqual(30_000);
    const outline = (markdown: string) => markdown.split('\n').filter((l) => /^(#{1,6} |- 【)/.test(l) || /^- (收获|下周)/.test(l));
    expect(outline(text)).toEqual(outline(report.markdown));
    // Short sections are kept whole.
    expect(text).toContain(report.sections.find((s) => s.id === 'o1')!.markdown);
  });

  it('names the sections a message cut at Slack’s 50 blocks left out, instead of a bare “…”', () => {
    const sections = Array.from({ length: 60 }, (_, i) => `## 第 ${i + 1} 部分\n\n${'内容'.repeat(1400)}`).join('\n\n');
    const payload = messagePayload({ text: `预览：\n\n${sections}`, markdown: sections, locale: 'zh-CN' });
    expect(payload.blocks).toHaveLength(50);
    const note = JSON.stringify(payload.blocks!.at(-1));
    expect(note).toContain('预览已截断');
    expect(note).toContain('第 60 部分');
    expect(note).not.toContain('第 1 部分');
  });
});

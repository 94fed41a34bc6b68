import { describe, expect, it } from 'vitest';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import { compileReport } from '../../../src/report/compile.ts';
import { SectionDefinition } from '../../../src/report/definition.ts';
import type { ListItem } from '../../../src/report/model.ts';
import { renderSectionBody, renderSectionMarkdown } from '../../../src/report/render/section-markdown.ts';
import { REFERENCE_CREATED } from '../../support/golden.ts';
import { documentOutline, PARSERS } from '../markdown-outline.ts';

const section = (raw: Record<string, unknown>) => SectionDefinition.parse({ id: 's', title: '【S】', kind: 'list', owners: ['a'], ...raw });
const item = (text: string, ...children: ListItem[]): ListItem => ({ text, children });

/** A chain of items, each the only child of the one before: `1` > `2` > … > `n`. */
function chain(depth: number): ListItem[] {
  let items: ListItem[] = [];
  for (let d = depth; d >= 1; d--) items = [item(`第${d}层`, ...items)];
  return items;
}

describe('renderSectionMarkdown', () => {
  it('bounds nesting at 8 levels by default, and at most 8 may be set', () => {
    expect(section({}).maxDepth).toBe(8);
    expect(SectionDefinition.safeParse({ id: 's', title: 'S', kind: 'list', owners: ['a'], maxDepth: 9 }).success).toBe(false);
  });

  it('prints items deeper than the bound at the deepest level, in order, keeping their text', () => {
    const markdown = renderSectionMarkdown(section({ maxDepth: 2, numbering: ['ordered', 'bullet'] }), {
      kind: 'list',
      items: [item('a', item('b', item('c', item('d'))), item('e')), item('f')],
    });
    expect(markdown).toBe('## 【S】\n\n1. a\n    - b\n    - c\n    - d\n    - e\n2. f');
  });

  it('keeps the document readable by CommonMark parsers when an owner nests 150 levels', () => {
    for (const heading of ['h2', 'bullet']) {
      const markdown = `${renderSectionMarkdown(section({ heading }), { kind: 'list', items: chain(150) })}\n\n## 之后`;
      const outline = documentOutline(markdown, PARSERS.commonmark);
      expect(outline.at(-1)).toEqual({ kind: 'heading', level: 2, text: '之后' });
      expect(markdown).toContain('第150层');
    }
  });

  it('nests children under an item whose number is wider than the indent', () => {
    const items = Array.from({ length: 100 }, (_, i) => item(`${i + 1}`, ...(i === 99 ? [item('child')] : [])));
    const markdown = renderSectionMarkdown(section({}), { kind: 'list', items });
    expect(markdown).toContain('\n100. 100\n     - child');
    const tokens = PARSERS.commonmark!.parse(markdown, {});
    expect(tokens.filter((t) => t.type === 'bullet_list_open')).toHaveLength(1);
  });

  it('escapes owner text in every kind of section, under a heading and under a title bullet', () => {
    const typed = '进度\n<!--\n# 标题\n===';
    expect(renderSectionMarkdown(section({ kind: 'text' }), { kind: 'text', markdown: typed })).toBe('## 【S】\n\n进度\n&lt;!--\n\\# 标题\n\\===');
    expect(renderSectionMarkdown(section({ kind: 'text', heading: 'bullet' }), { kind: 'text', markdown: typed })).toBe(
      '- 【S】\n\n    进度\n    &lt;!--\n    \\# 标题\n    \\===',
    );
    expect(
      renderSectionMarkdown(section({ kind: 'entries' }), { kind: 'entries', entries: [{ time: '06/03 18:31', text: typed }], notes: ['详细记录：<script>'] }),
    ).toBe('## 【S】\n\n06/03 18:31 进度\n&lt;!--\n\\# 标题\n\\===\n\n详细记录：&lt;script>');
    expect(renderSectionMarkdown(section({}), { kind: 'list', items: [item('```'), item('# x')] })).toBe('## 【S】\n\n1. \\```\n2. \\# x');
  });

  it('gives the owner their own text back unescaped, to edit and send again', () => {
    const content = { kind: 'text' as const, markdown: '进度\n<!--\n# 标题' };
    expect(renderSectionBody(section({ kind: 'text' }), content)).toBe('进度\n<!--\n# 标题');
  });
});

/**
 * Each item of the document's top-level bullet lists as markdown-it reads it: the text of the
 * paragraphs directly in the item (a tight list hides their tags, not the paragraphs), and whether
 * a list follows them.
 */
function titleBullets(markdown: string, md = PARSERS.commonmark!): { paragraphs: string[]; list: boolean }[] {
  const items: { paragraphs: string[]; list: boolean }[] = [];
  const tokens = md.parse(markdown, {});
  tokens.forEach((token, i) => {
    if (token.type === 'list_item_open' && token.level === 1) items.push({ paragraphs: [], list: false });
    const current = items.at(-1);
    if (!current || token.level !== 2) return;
    // A paragraph's later lines keep their indent past the item's content column in `content`.
    if (token.type === 'paragraph_open') current.paragraphs.push((tokens[i + 1]?.content ?? '').replace(/\n[ \t]+/g, '\n'));
    if (token.type === 'ordered_list_open' || token.type === 'bullet_list_open') current.list = true;
  });
  return items;
}

describe('a section titled by a bullet', () => {
  it('keeps its title alone when nobody answered: the empty text is a paragraph of its own under it', async () => {
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    // 贝易转 answered, the two bullet sections after it not: one list of three title bullets.
    const answers = [
      { sectionId: 'beiyizhuan', owner: 'owner-beiyizhuan', content: { kind: 'list' as const, items: [item('业务侧：', item('省心租开发进度正常'))] } },
    ];
    const { markdown } = compileReport({ team, week: '2024-W23', createdAt: REFERENCE_CREATED, answers });
    for (const md of Object.values(PARSERS)) {
      expect(titleBullets(markdown, md)).toEqual([
        { paragraphs: ['【贝易转】'], list: true },
        { paragraphs: ['【装修存管项目】', '暂无'], list: false },
        { paragraphs: ['【430改进落地以及支付安全治理】', '暂无'], list: false },
      ]);
    }
    // As the reference document writes a body: indented under the title, here after a blank line.
    expect(markdown).toContain('- 【装修存管项目】\n\n    暂无\n- 【430改进落地以及支付安全治理】\n\n    暂无\n');
  });

  it('keeps its title alone above a text or entries body, and above an empty text of the team’s own', () => {
    const bullet = (raw: Record<string, unknown>) => section({ heading: 'bullet', ...raw });
    expect(titleBullets(renderSectionMarkdown(bullet({ kind: 'text' }), { kind: 'text', markdown: '进度正常\n下周上线' }))).toEqual([
      { paragraphs: ['【S】', '进度正常\n下周上线'], list: false },
    ]);
    const entries = { kind: 'entries' as const, entries: [{ time: '06/03 18:31', text: '支付超时' }], notes: ['详细记录见文档'] };
    expect(titleBullets(renderSectionMarkdown(bullet({ kind: 'entries' }), entries))).toEqual([
      { paragraphs: ['【S】', '06/03 18:31 支付超时', '详细记录见文档'], list: false },
    ]);
    expect(titleBullets(renderSectionMarkdown(bullet({ emptyText: '本周无进展' }), null))).toEqual([{ paragraphs: ['【S】', '本周无进展'], list: false }]);
  });
});

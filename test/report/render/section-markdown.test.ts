import { describe, expect, it } from 'vitest';
import { SectionDefinition } from '../../../src/report/definition.ts';
import type { ListItem } from '../../../src/report/model.ts';
import { renderSectionBody, renderSectionMarkdown } from '../../../src/report/render/section-markdown.ts';
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
    const markdown = renderSectionMarkdown(section({ maxDepth: 2, numbering: ['ordered', 'bullet'] }), { kind: 'list', items: [item('a', item('b', item('c', item('d'))), item('e')), item('f')] });
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
    expect(renderSectionMarkdown(section({ kind: 'text', heading: 'bullet' }), { kind: 'text', markdown: typed })).toBe('- 【S】\n    进度\n    &lt;!--\n    \\# 标题\n    \\===');
    expect(renderSectionMarkdown(section({ kind: 'entries' }), { kind: 'entries', entries: [{ time: '06/03 18:31', text: typed }], notes: ['详细记录：<script>'] })).toBe(
      '## 【S】\n\n06/03 18:31 进度\n&lt;!--\n\\# 标题\n\\===\n\n详细记录：&lt;script>',
    );
    expect(renderSectionMarkdown(section({}), { kind: 'list', items: [item('```'), item('# x')] })).toBe('## 【S】\n\n1. \\```\n2. \\# x');
  });

  it('gives the owner their own text back unescaped, to edit and send again', () => {
    const content = { kind: 'text' as const, markdown: '进度\n<!--\n# 标题' };
    expect(renderSectionBody(section({ kind: 'text' }), content)).toBe('进度\n<!--\n# 标题');
  });
});

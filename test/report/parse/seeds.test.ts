import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseTeamDefinition, type SectionDefinition } from '../../../src/report/definition.ts';
import type { ListItem, SectionContent } from '../../../src/report/model.ts';
import { parseReply, type ReplyInput } from '../../../src/report/parse/index.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { WireReply } from '../../../src/platforms/platform.ts';
import { wireInput } from '../../support/wire-input.ts';

/**
 * The 2024-W23 replies as owners typed them (seeds/2024-W23/<section>.md), and the same replies
 * re-typed in other styles and sent through Slack and Feishu (test/fixtures/replies/<style>/):
 * every variant must parse to exactly what the plain seed parses to.
 */

const root = new URL('../../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

const definition = parseTeamDefinition(parseYaml(read('templates/payments-weekly.yaml')), 'templates/payments-weekly.yaml', PLATFORM_MODULES);
const expectedReport = read('seeds/2024-W23/expected.md');
// Nobody submitted 收获与反思 that week: the report prints 暂无.
const submitted = definition.sections.filter((section) => section.id !== 'reflections');

function parsed(input: ReplyInput | WireReply, section: SectionDefinition): SectionContent {
  const result = parseReply(wireInput(input), section);
  if (!result.ok) throw new Error(`${section.id}: ${result.error.message}`);
  return result.content;
}

const seedText = (section: SectionDefinition): string => read(`seeds/2024-W23/${section.id}.md`);
const seedContent = (section: SectionDefinition): SectionContent => parsed({ source: 'text', text: seedText(section) }, section);

interface SlackMessage {
  type: 'message';
  user: string;
  text: string;
  blocks: unknown[];
}

const variants: Record<string, (section: SectionDefinition) => ReplyInput | WireReply> = {
  crlf: (section) => ({ source: 'text', text: `\uFEFF${seedText(section).replaceAll('\n', '\r\n')}` }),
  'bullets-slack': (section) => ({ source: 'slack-text', text: read(`test/fixtures/replies/bullets-slack/${section.id}.txt`) }),
  'paren-numbering': (section) => ({ source: 'text', text: read(`test/fixtures/replies/paren-numbering/${section.id}.md`) }),
  'slack-rich-text blocks': (section) => ({ source: 'slack-rich-text', blocks: slackMessage(section).blocks }),
  'slack-rich-text text fallback': (section) => ({ source: 'slack-text', text: slackMessage(section).text }),
  'feishu-post': (section) => ({ source: 'feishu-post', content: JSON.stringify(JSON.parse(read(`test/fixtures/replies/feishu-post/${section.id}.json`))) }),
};

function slackMessage(section: SectionDefinition): SlackMessage {
  return JSON.parse(read(`test/fixtures/replies/slack-rich-text/${section.id}.json`)) as SlackMessage;
}

function flatten(items: readonly ListItem[], depth = 0): { text: string; depth: number }[] {
  return items.flatMap((item) => [{ text: item.text, depth }, ...flatten(item.children, depth + 1)]);
}

/** The lines of a section's body in expected.md, found by its printed title. */
function expectedBody(section: SectionDefinition): string {
  const lines = expectedReport.split('\n');
  const start = lines.findIndex((line) => line.replace(/^(#+|-) /, '') === section.title);
  const body: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^(#+ |- 【)/.test(line)) break;
    body.push(line);
  }
  return body.join('\n').replace(/^\n+|\n+$/g, '');
}

describe('seeds/2024-W23', () => {
  it('has a seed for every section that was submitted', () => {
    expect(submitted.map((section) => section.id)).toEqual([
      'beiyizhuan',
      'decoration-escrow',
      'payment-safety',
      'o1',
      'o2',
      'o3',
      'o4',
      'metrics',
      'incidents',
      'other',
      'next-week',
    ]);
  });

  describe.each(submitted.map((section) => [section.id, section] as const))('%s', (_id, section) => {
    it('parses to the content printed in expected.md', () => {
      const content = seedContent(section);
      const body = expectedBody(section);
      expect(body).not.toBe('');
      switch (content.kind) {
        case 'list': {
          const printed = body.split('\n').filter((line) => line.trim() !== '');
          const items = flatten(content.items);
          expect(items).toHaveLength(printed.length);
          items.forEach((item, i) => {
            expect(printed[i]?.replace(/^\s*(\d+\.|-) /, '')).toBe(item.text);
            expect(printed[i]?.match(/^\s*/)?.[0].length).toBe(item.depth * 4 + (section.heading === 'bullet' ? 4 : 0));
          });
          break;
        }
        case 'text':
          expect(content.markdown).toBe(body);
          break;
        case 'entries':
          expect([...content.entries.map((entry) => `${entry.time} ${entry.text}`), ...content.notes].join('\n\n')).toBe(body);
          break;
      }
    });

    it.each(Object.keys(variants))('parses the %s variant to the same content', (style) => {
      const variant = variants[style];
      if (!variant) throw new Error(style);
      expect(parsed(variant(section), section)).toEqual(seedContent(section));
    });
  });

  it('reads the wiki link typed bare in incidents.md as the link expected.md prints', () => {
    const incidents = submitted.find((section) => section.id === 'incidents');
    if (!incidents) throw new Error('no incidents section');
    expect(seedText(incidents)).toContain('详细记录：https://wiki.lianjia.com/display/LFTQA/2024.6\n');
    expect(seedContent(incidents)).toMatchObject({
      notes: ['详细记录：[https://wiki.lianjia.com/display/LFTQA/2024.6](https://wiki.lianjia.com/display/LFTQA/2024.6)'],
    });
  });
});

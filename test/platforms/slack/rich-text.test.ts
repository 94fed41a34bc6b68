import { describe, expect, it } from 'vitest';
import { slackRichTextToPlain } from '../../../src/platforms/slack/parse/slack-rich-text.ts';
import { slackTextToPlain } from '../../../src/platforms/slack/parse/slack-text.ts';
import type { SectionContent } from '../../../src/report/model.ts';
import { parseReply, type ParseReplyResult, type ReplySection } from '../../../src/report/parse/index.ts';

/** What Slack clients really send: element types and block sequences seen in owners' replies. */

const text = (t: string) => ({ type: 'text', text: t });
const section = (...elements: unknown[]) => ({ type: 'rich_text_section', elements });
const list = (style: 'bullet' | 'ordered', indent: number, items: string[], offset?: number) => ({
  type: 'rich_text_list',
  style,
  indent,
  ...(offset === undefined ? {} : { offset }),
  elements: items.map((item) => section(text(item))),
  border: 0,
});
const quote = (t: string) => ({ type: 'rich_text_quote', elements: [text(t)] });
const code = (t: string) => ({ type: 'rich_text_preformatted', border: 0, elements: [text(t)] });
const richText = (...elements: unknown[]) => [{ type: 'rich_text', block_id: 'Xk3Fz', elements }];

const o1: ReplySection = { kind: 'list', title: '【O1 业务服务】', notePrefixes: [] };
const metrics: ReplySection = { kind: 'text', title: '【系统运行数据】', notePrefixes: [] };
const incidents: ReplySection = { kind: 'entries', title: '【生产事件】', notePrefixes: ['详细记录：'] };

function plain(blocks: unknown[], userNames?: Record<string, string>): string {
  const converted = slackRichTextToPlain(blocks, { userNames });
  if (!converted.ok) throw new Error(converted.detail);
  return converted.text;
}

function parsed(blocks: unknown[], target: ReplySection): ParseReplyResult {
  return parseReply({ source: 'text', text: plain(blocks) }, target);
}

function content(blocks: unknown[], target: ReplySection): SectionContent {
  const result = parsed(blocks, target);
  if (!result.ok) throw new Error(result.error.message);
  return result.content;
}

const leaf = (t: string) => ({ text: t, children: [] });

// `Ordered list 3`, then a quote, a code block and a paragraph: what a Slack client sends for them.
const afterList = richText(
  list('ordered', 0, ['Ordered list 1', 'Ordered list 2', 'Ordered list 3']),
  quote('A quote'),
  code('GET /health\n200 OK'),
  section(text('A paragraph')),
);

describe('slackRichTextToPlain: every element keeps its visible text', () => {
  it('keeps a color as the value typed', () => {
    expect(plain(richText(section(text('主色 '), { type: 'color', value: '#FFFFFF' })))).toBe('主色 #FFFFFF');
  });

  it('keeps a date as the fallback text people saw', () => {
    const date = { type: 'date', timestamp: 1717581600, format: '{date_short}', fallback: 'Jun 5' };
    expect(plain(richText(section(text('上线 '), date)))).toBe('上线 Jun 5');
  });

  it('accepts a date whose timestamp arrives as a string', () => {
    const date = { type: 'date', timestamp: '1717581600', format: '{date_short}', fallback: 'Jun 5' };
    expect(plain(richText(section(date)))).toBe('Jun 5');
  });

  it('writes a date without fallback from its timestamp, in UTC when it shows a time', () => {
    expect(plain(richText(section({ type: 'date', timestamp: '1717581600', format: '{date_num}' })))).toBe('2024-06-05');
    expect(plain(richText(section({ type: 'date', timestamp: 1717581600, format: '{date_short} {time}' })))).toBe('2024-06-05 10:00 UTC');
  });

  it('refuses a date with neither fallback nor a readable timestamp, naming the element', () => {
    expect(slackRichTextToPlain(richText(section({ type: 'date', timestamp: 'soon' })))).toMatchObject({
      ok: false,
      detail: expect.stringContaining('blocks[0].elements[0].elements[0].timestamp'),
    });
  });

  it('writes a user group as @id, or as its name when one is known', () => {
    const blocks = richText(section({ type: 'usergroup', usergroup_id: 'S123' }, text(' 请评审')));
    expect(plain(blocks)).toBe('@S123 请评审');
    expect(plain(blocks, { S123: 'payments-oncall' })).toBe('@payments-oncall 请评审');
  });

  it('keeps a broadcast as @here, which the parser refuses as a mention of everyone', () => {
    const blocks = richText(list('ordered', 0, ['存管路由专项']), section({ type: 'broadcast', range: 'here' }, text(' 请关注')));
    expect(plain(blocks)).toContain('@here 请关注');
    expect(parsed(blocks, o1)).toMatchObject({ ok: false, error: { code: 'mention_all', line: '@here 请关注', lineNumber: 3 } });
  });

  it.each([
    ['text', { type: 'team', team_id: 'T1', text: 'Payments' }, 'Payments'],
    ['fallback', { type: 'canvas', canvas_id: 'F1', fallback: '周报画布' }, '周报画布'],
    ['value', { type: 'color', value: '#00FF00' }, '#00FF00'],
    ['name', { type: 'workflow', name: '值班交接' }, '值班交接'],
    ['url', { type: 'file', url: 'https://files.example.com/a.pdf' }, 'https://files.example.com/a.pdf'],
  ])('keeps the %s of an element type it does not know', (_field, element, shown) => {
    expect(plain(richText(section(element)))).toBe(shown);
  });

  it('refuses an element it cannot show, never dropping it silently', () => {
    const result = slackRichTextToPlain(richText(section(text('见 '), { type: 'team', team_id: 'T1' })));
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('blocks[0].elements[0].elements[1]: a "team" element') });
  });

  it('keeps the text of a block element type it does not know', () => {
    expect(plain(richText({ type: 'rich_text_callout', elements: [text('注意')] }, { type: 'rich_text_note', text: '备注' }))).toBe('注意\n备注');
  });
});

describe('slackRichTextToPlain: blocks stay apart', () => {
  it('ends a list with a blank line before a quote, a code block or a paragraph', () => {
    expect(plain(afterList)).toBe(
      ['1. Ordered list 1', '2. Ordered list 2', '3. Ordered list 3', '', '> A quote', '', '```', 'GET /health', '200 OK', '```', 'A paragraph'].join('\n'),
    );
  });

  it('does not add a second blank line where the owner typed one', () => {
    expect(plain(richText(list('bullet', 0, ['入金']), section(text('\n系统可用性'))))).toBe('- 入金\n\n系统可用性');
  });

  it('keeps a quote as "> " lines; an empty line inside is ">", empty lines at its edges go', () => {
    expect(plain(richText(quote('\n上周遗留：\n\n银企迁移\n\n')))).toBe('> 上周遗留：\n>\n> 银企迁移');
  });

  it('fences a code block with ```, and with a longer fence when the code holds backticks', () => {
    expect(plain(richText(code('SELECT 1;\n')))).toBe('```\nSELECT 1;\n```');
    expect(plain(richText(code('echo ```x```')))).toBe('````\necho ```x```\n````');
  });

  it('keeps a code block as typed: no emphasis, no display names', () => {
    const blocks = richText({
      type: 'rich_text_preformatted',
      elements: [{ type: 'text', text: 'a*b*', style: { bold: true } }, text(' '), { type: 'user', user_id: 'U1' }],
    });
    expect(plain(blocks, { U1: '王芳' })).toBe('```\na*b* @U1\n```');
  });

  it('separates a bullet list that Slack shows beside an ordered list at the same indent', () => {
    expect(plain(richText(list('ordered', 0, ['a', 'b']), list('bullet', 0, ['c'])))).toBe('1. a\n2. b\n\n- c');
  });

  it('keeps a bullet list nested under an ordered item, and the ordered list continued after it, together', () => {
    expect(plain(richText(list('ordered', 0, ['业务侧：']), list('bullet', 1, ['省心租']), list('ordered', 0, ['银行侧：'], 1)))).toBe(
      '1. 业务侧：\n    - 省心租\n2. 银行侧：',
    );
  });
});

describe('parseReply with what Slack clients send', () => {
  it('does not glue a quote, a code block and a paragraph after a list onto its last item', () => {
    expect(content(afterList, o1)).toEqual({
      kind: 'list',
      items: [
        leaf('Ordered list 1'),
        leaf('Ordered list 2'),
        leaf('Ordered list 3'),
        leaf('A quote'),
        leaf('```\nGET /health\n200 OK\n```'),
        leaf('A paragraph'),
      ],
    });
  });

  it('keeps the quote and the fenced code block in a text section', () => {
    expect(content(afterList, metrics)).toEqual({
      kind: 'text',
      markdown: '1. Ordered list 1\n2. Ordered list 2\n3. Ordered list 3\n\n> A quote\n\n```\nGET /health\n200 OK\n```\nA paragraph',
    });
  });

  it('adds a quote and a code block to the incident above them', () => {
    const blocks = richText(section(text('06/05 10:02 银行虚户支付机构模式，10笔资金会提被拦截')), quote('风控：规则命中'), code('rule=R42'));
    expect(content(blocks, incidents)).toEqual({
      kind: 'entries',
      entries: [{ time: '06/05 10:02', text: '银行虚户支付机构模式，10笔资金会提被拦截\n> 风控：规则命中\n```\nrule=R42\n```' }],
      notes: [],
    });
  });

  it('makes no item of an empty quote line', () => {
    expect(content(richText(list('ordered', 0, ['a']), quote('b\n\nc')), o1)).toEqual({ kind: 'list', items: [leaf('a'), leaf('b'), leaf('c')] });
  });

  it('reads a bullet list beside an ordered list as siblings, as Slack shows them', () => {
    expect(content(richText(list('ordered', 0, ['a', 'b']), list('bullet', 0, ['c'])), o1)).toEqual({
      kind: 'list',
      items: [leaf('a'), leaf('b'), leaf('c')],
    });
  });

  it('keeps a "# " line inside a code block: it is a comment, not a heading', () => {
    expect(content(richText(list('ordered', 0, ['部署脚本']), code('# 回滚\nkubectl rollout undo')), o1)).toEqual({
      kind: 'list',
      items: [leaf('部署脚本'), leaf('```\n# 回滚\nkubectl rollout undo\n```')],
    });
  });
});

describe('slackTextToPlain: the text a message carries besides its blocks', () => {
  it('puts the fences of a code block on lines of their own, so its first line is code, not a language', () => {
    expect(slackTextToPlain('回滚：```kubectl rollout undo\n--to-revision=3```\n已验证')).toBe(
      '回滚：\n```\nkubectl rollout undo\n--to-revision=3\n```\n已验证',
    );
    expect(slackTextToPlain('```\nSELECT 1;\n```')).toBe('```\nSELECT 1;\n```');
  });

  it('keeps a one-line block as inline code', () => {
    expect(slackTextToPlain('命令 ```make seed``` 已跑')).toBe('命令 ```make seed``` 已跑');
  });

  it('reads the fenced block as one item after the list it follows', () => {
    const text = slackTextToPlain('1. 回滚\n```kubectl rollout undo\n--to-revision=3```');
    expect(parseReply({ source: 'text', text }, o1)).toEqual({
      ok: true,
      content: { kind: 'list', items: [leaf('回滚'), leaf('```\nkubectl rollout undo\n--to-revision=3\n```')] },
    });
  });
});

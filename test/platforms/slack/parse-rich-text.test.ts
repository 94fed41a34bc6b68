import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../src/report/parse/index.ts';
import { slackRichTextToPlain } from '../../../src/platforms/slack/parse/slack-rich-text.ts';
import { wireInput } from '../../support/wire-input.ts';

const text = (t: string, style?: Record<string, boolean>) => (style ? { type: 'text', text: t, style } : { type: 'text', text: t });
const section = (...elements: unknown[]) => ({ type: 'rich_text_section', elements });
const list = (style: 'bullet' | 'ordered', indent: number, items: unknown[][], offset?: number) => ({
  type: 'rich_text_list',
  style,
  indent,
  ...(offset === undefined ? {} : { offset }),
  elements: items.map((elements) => ({ type: 'rich_text_section', elements })),
  border: 0,
});
const richText = (...elements: unknown[]) => [{ type: 'rich_text', block_id: 'Xk3Fz', elements }];

function plain(blocks: unknown[], userNames?: Record<string, string>): string {
  const converted = slackRichTextToPlain(blocks, { userNames });
  if (!converted.ok) throw new Error(converted.detail);
  return converted.text;
}

describe('slackRichTextToPlain', () => {
  it('writes a bullet list with nested lists by indent, 4 spaces per level', () => {
    const blocks = richText(
      list('bullet', 0, [[text('可用性')]]),
      list('bullet', 1, [[text('年度：100%')]]),
      list('bullet', 2, [[text('6月：100%')]]),
      list('bullet', 0, [[text('事故')]]),
    );
    expect(plain(blocks)).toBe('- 可用性\n    - 年度：100%\n        - 6月：100%\n- 事故');
  });

  it('numbers an ordered list from offset + 1, as the client continues it after a nested list', () => {
    const blocks = richText(
      list('ordered', 0, [[text('业务侧：')]]),
      list('bullet', 1, [[text('省心租开发进度正常')]]),
      list('ordered', 0, [[text('银行侧：')], [text('产品研发：')]], 1),
    );
    expect(plain(blocks)).toBe('1. 业务侧：\n    - 省心租开发进度正常\n2. 银行侧：\n3. 产品研发：');
  });

  it('splits text on newlines, a trailing one ending the paragraph before a list', () => {
    const blocks = richText(
      section(text('支付成功率：\n\n')),
      list('bullet', 0, [[text('入金有效成功率：99.987%')]]),
      section(text('\n截至6/7\n待追款1个商户')),
    );
    expect(plain(blocks)).toBe('支付成功率：\n\n- 入金有效成功率：99.987%\n\n截至6/7\n待追款1个商户');
  });

  it('indents a line break inside a list item under the item, so it continues it', () => {
    expect(plain(richText(list('bullet', 0, [[text('工行对接接口细节\n沟通完毕')]])))).toBe('- 工行对接接口细节\n    沟通完毕');
  });

  it('writes styles as Markdown and code as backticks', () => {
    const blocks = richText(
      section(
        text('机房双活：'),
        text('orderpay-api', { code: true }),
        text('和'),
        text(' 投产 ', { bold: true }),
        text('旧', { strike: true }),
        text('新', { italic: true }),
      ),
    );
    expect(plain(blocks)).toBe('机房双活：`orderpay-api`和 **投产** ~~旧~~_新_');
  });

  it('writes links, users, channels, user groups and emoji as text', () => {
    const blocks = richText(
      section(
        { type: 'link', url: 'https://wiki.lianjia.com/display/LFTQA/2024.6' },
        text(' '),
        { type: 'link', url: 'https://wiki.lianjia.com/x', text: '复盘' },
        text(' '),
        { type: 'user', user_id: 'U0000000004' },
        text(' '),
        { type: 'channel', channel_id: 'C0000000001' },
        text(' '),
        { type: 'usergroup', usergroup_id: 'S0000000001' },
        text(' '),
        { type: 'emoji', name: 'white_check_mark', unicode: '2705' },
      ),
    );
    expect(plain(blocks, { U0000000004: '王芳' })).toBe(
      'https://wiki.lianjia.com/display/LFTQA/2024.6 [复盘](https://wiki.lianjia.com/x) @王芳 #C0000000001 @S0000000001 :white_check_mark:',
    );
  });

  it('writes quotes with "> " and code blocks as typed', () => {
    const blocks = richText(
      { type: 'rich_text_quote', elements: [text('上周遗留：\n银企迁移')] },
      { type: 'rich_text_preformatted', border: 0, elements: [text('GET /health\n200 OK')] },
    );
    expect(plain(blocks)).toBe('> 上周遗留：\n> 银企迁移\n\n```\nGET /health\n200 OK\n```');
  });

  it('keeps a broadcast as @here so the parser can refuse it', () => {
    expect(plain(richText(section({ type: 'broadcast', range: 'here' }, text(' 请更新'))))).toBe('@here 请更新');
  });

  it('keeps the text of element types it does not know', () => {
    expect(plain(richText(section({ type: 'team', team_id: 'T1', text: 'Payments' })))).toBe('Payments');
  });

  it('reports blocks that do not have Slack shape', () => {
    expect(slackRichTextToPlain([{ type: 'rich_text', elements: [{ type: 'rich_text_list', style: 'numbered', elements: [] }] }])).toMatchObject({
      ok: false,
      detail: expect.stringContaining('blocks[0].elements[0].style'),
    });
  });
});

describe('parseReply with Slack rich text', () => {
  const o1 = { kind: 'list', title: '【O1 业务服务】', notePrefixes: [] } as const;

  it('reads nested lists into items', () => {
    const blocks = richText(
      list('ordered', 0, [[text('业务侧：')]]),
      list('bullet', 1, [[text('省心租')], [text('整装')]]),
      list('ordered', 0, [[text('银行侧：')]], 1),
    );
    expect(parseReply(wireInput({ source: 'slack-rich-text', blocks }), o1)).toEqual({
      ok: true,
      content: {
        kind: 'list',
        items: [
          {
            text: '业务侧：',
            children: [
              { text: '省心租', children: [] },
              { text: '整装', children: [] },
            ],
          },
          { text: '银行侧：', children: [] },
        ],
      },
    });
  });

  it.each(['here', 'channel', 'everyone'])('refuses a %s broadcast element', (range) => {
    const blocks = richText(list('ordered', 0, [[text('存管路由专项')], [{ type: 'broadcast', range }, text(' 请关注')]]));
    expect(parseReply(wireInput({ source: 'slack-rich-text', blocks }), o1)).toMatchObject({
      ok: false,
      error: { code: 'mention_all', line: `2. @${range} 请关注`, lineNumber: 2 },
    });
  });

  it('refuses blocks it cannot read with invalid_payload', () => {
    expect(parseReply(wireInput({ source: 'slack-rich-text', blocks: [{ type: 'rich_text', elements: 'oops' }] }), o1)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });
});

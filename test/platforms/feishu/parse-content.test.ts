import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../src/report/parse/index.ts';
import { feishuPostToPlain, feishuTextToPlain } from '../../../src/platforms/feishu/parse/feishu-content.ts';
import { wireInput } from '../../support/wire-input.ts';

function plainPost(content: unknown, userNames?: Record<string, string>): string {
  const converted = feishuPostToPlain(JSON.stringify(content), { userNames });
  if (!converted.ok) throw new Error(converted.detail);
  return converted.text;
}

const paragraphs = [[{ tag: 'text', text: '1. 业务侧：', style: [] }], [{ tag: 'text', text: '    - 省心租开发进度正常', style: [] }]];

describe('feishuTextToPlain', () => {
  it('reads the text of a text message', () => {
    expect(feishuTextToPlain(JSON.stringify({ text: '1. 明星项目\n2. 聚合支付' }))).toEqual({ ok: true, text: '1. 明星项目\n2. 聚合支付' });
  });

  it('writes <at> tags as @name, and @all as @所有人', () => {
    expect(feishuTextToPlain(JSON.stringify({ text: '<at user_id="ou_1">王芳</at> 跟进 <at user_id="all">所有人</at>' }))).toEqual({
      ok: true,
      text: '@王芳 跟进 @所有人',
    });
  });

  it('reports content that is not JSON', () => {
    expect(feishuTextToPlain('1. 明星项目')).toMatchObject({ ok: false, detail: expect.stringContaining('not JSON') });
  });
});

describe('feishuPostToPlain', () => {
  it('reads a received post: paragraphs become lines', () => {
    expect(plainPost({ title: '', content: paragraphs })).toBe('1. 业务侧：\n    - 省心租开发进度正常');
  });

  it('reads a post wrapped in a locale, preferring zh_cn', () => {
    expect(plainPost({ en_us: { title: '', content: [[{ tag: 'text', text: 'Business' }]] }, zh_cn: { title: '', content: paragraphs } })).toBe(
      '1. 业务侧：\n    - 省心租开发进度正常',
    );
    expect(plainPost({ en_us: { title: '', content: [[{ tag: 'text', text: 'Business' }]] } })).toBe('Business');
  });

  it('keeps the title as the first line rather than losing it', () => {
    expect(plainPost({ title: '本周进展', content: [[{ tag: 'text', text: '明星项目' }]] })).toBe('本周进展\n明星项目');
  });

  it('writes links as Markdown, or as the URL when the link text is the URL', () => {
    const url = 'https://wiki.lianjia.com/display/LFTQA/2024.6';
    expect(
      plainPost({
        content: [
          [
            { tag: 'text', text: '详细记录：' },
            { tag: 'a', text: url, href: url },
          ],
        ],
      }),
    ).toBe(`详细记录：${url}`);
    expect(plainPost({ content: [[{ tag: 'a', text: '6月事件', href: url }]] })).toBe(`[6月事件](${url})`);
  });

  it('writes mentions as @name, the display-name map first', () => {
    const content = {
      content: [
        [
          { tag: 'at', user_id: 'ou_1', user_name: '王芳' },
          { tag: 'text', text: ' ' },
          { tag: 'at', user_id: 'ou_2' },
        ],
      ],
    };
    expect(plainPost(content)).toBe('@王芳 @ou_2');
    expect(plainPost(content, { ou_2: '李雷' })).toBe('@王芳 @李雷');
  });

  it('reads md, emotion, code_block and styled text; skips images, media and dividers without losing text', () => {
    const content = {
      content: [
        [{ tag: 'md', text: '- 入金\n- 出金' }],
        [
          { tag: 'text', text: '上线', style: ['bold'] },
          { tag: 'emotion', emoji_type: 'THUMBSUP' },
        ],
        [{ tag: 'img', image_key: 'img_v3_1' }],
        [
          { tag: 'text', text: '截图如上' },
          { tag: 'media', file_key: 'file_v3_1', image_key: 'img_v3_2' },
        ],
        [{ tag: 'hr' }],
        [{ tag: 'code_block', language: 'SHELL', text: 'curl /health\n' }],
        [{ tag: 'text', text: 'a&nbsp;b', un_escape: true }],
      ],
    };
    expect(plainPost(content)).toBe('- 入金\n- 出金\n**上线**:THUMBSUP:\n\n截图如上\n\ncurl /health\na b');
  });

  it('reports a post without content', () => {
    expect(feishuPostToPlain(JSON.stringify({ zh_cn: { title: 'x' } }))).toMatchObject({ ok: false, detail: expect.stringContaining('content.zh_cn') });
  });
});

describe('parseReply with Feishu', () => {
  const section = { kind: 'list', title: '【其他】', notePrefixes: [] } as const;

  it('reads a Feishu text message into items', () => {
    expect(parseReply(wireInput({ source: 'feishu-text', content: JSON.stringify({ text: '1. 明星项目\n2. 聚合支付' }) }), section)).toEqual({
      ok: true,
      content: {
        kind: 'list',
        items: [
          { text: '明星项目', children: [] },
          { text: '聚合支付', children: [] },
        ],
      },
    });
  });

  it('refuses @所有人 in a post', () => {
    const content = JSON.stringify({
      content: [
        [{ tag: 'text', text: '明星项目' }],
        [
          { tag: 'at', user_id: 'all', user_name: '所有人' },
          { tag: 'text', text: ' 请看' },
        ],
      ],
    });
    expect(parseReply(wireInput({ source: 'feishu-post', content }), section)).toMatchObject({
      ok: false,
      error: { code: 'mention_all', line: '@所有人 请看', lineNumber: 2 },
    });
  });

  it('refuses @_all in a received text message', () => {
    expect(parseReply(wireInput({ source: 'feishu-text', content: JSON.stringify({ text: '@_all 明星项目' }) }), section)).toMatchObject({
      ok: false,
      error: { code: 'mention_all', line: '@_all 明星项目' },
    });
  });

  it('refuses content it cannot read with invalid_payload', () => {
    expect(parseReply(wireInput({ source: 'feishu-post', content: '{"content":"x"}' }), section)).toMatchObject({
      ok: false,
      error: { code: 'invalid_payload' },
    });
  });
});

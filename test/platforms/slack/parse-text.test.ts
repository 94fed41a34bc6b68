import { describe, expect, it } from 'vitest';
import { parseReply } from '../../../src/report/parse/index.ts';
import { slackTextToPlain } from '../../../src/platforms/slack/parse/slack-text.ts';
import { wireInput } from '../../support/wire-input.ts';

describe('slackTextToPlain', () => {
  it('writes user mentions as @id, or as the display name when one is given', () => {
    expect(slackTextToPlain('跟进 <@U0000000004> 的方案')).toBe('跟进 @U0000000004 的方案');
    expect(slackTextToPlain('跟进 <@U0000000004> 的方案', { userNames: { U0000000004: '王芳' } })).toBe('跟进 @王芳 的方案');
  });

  it('writes channels as #name', () => {
    expect(slackTextToPlain('见 <#C0000000001|payments-oncall>')).toBe('见 #payments-oncall');
    expect(slackTextToPlain('见 <#C0000000001>')).toBe('见 #C0000000001');
  });

  it('writes labelled links as Markdown links and bare ones as the URL', () => {
    expect(slackTextToPlain('详细记录：<https://wiki.lianjia.com/display/LFTQA/2024.6|6月事件>')).toBe(
      '详细记录：[6月事件](https://wiki.lianjia.com/display/LFTQA/2024.6)',
    );
    expect(slackTextToPlain('详细记录：<https://wiki.lianjia.com/display/LFTQA/2024.6>')).toBe('详细记录：https://wiki.lianjia.com/display/LFTQA/2024.6');
  });

  it('unescapes &amp; &lt; &gt; once, inside and outside links', () => {
    expect(slackTextToPlain('入金&amp;退款 准确率&gt;90% &lt;b&gt; &amp;lt;')).toBe('入金&退款 准确率>90% <b> &lt;');
    expect(slackTextToPlain('<https://x.example.com/?a=1&amp;b=2|A &amp; B>')).toBe('[A & B](https://x.example.com/?a=1&b=2)');
  });

  it('keeps broadcasts as @channel / @here / @everyone so they can be refused', () => {
    expect(slackTextToPlain('<!channel> <!here> <!everyone> <!here|@here>')).toBe('@channel @here @everyone @here');
  });

  it('writes user groups and dates as the label people saw', () => {
    expect(slackTextToPlain('<!subteam^S0123|@payments> <!date^1717486440^{date}|Jun 4th>')).toBe('@payments Jun 4th');
  });

  it('keeps mrkdwn emphasis and code as typed', () => {
    expect(slackTextToPlain('*上线* _完成_ `orderpay-api`')).toBe('*上线* _完成_ `orderpay-api`');
  });
});

describe('parseReply with Slack text', () => {
  const section = { kind: 'list', title: '【O1 业务服务】', notePrefixes: [] } as const;

  it('reads Slack • and ◦ bullets typed by hand', () => {
    const result = parseReply(wireInput({ source: 'slack-text', text: '• 资金安全&amp;物保：上线\n    ◦ 单单群消息推送问题上线并验证' }), section);
    expect(result).toEqual({
      ok: true,
      content: { kind: 'list', items: [{ text: '资金安全&物保：上线', children: [{ text: '单单群消息推送问题上线并验证', children: [] }] }] },
    });
  });

  it.each(['<!channel>', '<!here>', '<!everyone>'])('refuses %s', (token) => {
    const result = parseReply(wireInput({ source: 'slack-text', text: `1. 存管路由专项\n2. ${token} 请关注` }), section);
    expect(result).toMatchObject({ ok: false, error: { code: 'mention_all', lineNumber: 2 } });
  });
});

import { describe, expect, it } from 'vitest';
import type { ListItem, SectionContent } from '../../../src/report/model.ts';
import { MAX_REPLY_CHARS, parseReply, type ReplyError, type ReplySection } from '../../../src/report/parse/index.ts';
import { wireInput } from '../../support/wire-input.ts';

const o1: ReplySection = { kind: 'list', title: '【O1 业务服务】', notePrefixes: [] };
const metrics: ReplySection = { kind: 'text', title: '【系统运行数据】', notePrefixes: [] };
const incidents: ReplySection = { kind: 'entries', title: '【生产事件】', notePrefixes: ['详细记录：', '备注：'] };

function errorFor(text: string, section: ReplySection, locale?: 'zh-CN' | 'en'): ReplyError {
  const result = parseReply({ source: 'text', text }, section, { locale });
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.content)}`);
  return result.error;
}

function contentOf(text: string, section: ReplySection): SectionContent {
  const result = parseReply({ source: 'text', text }, section);
  if (!result.ok) throw new Error(result.error.message);
  return result.content;
}

describe('parseReply errors', () => {
  it.each([[''], ['   \n\t\n\u3000\u3000'], ['\uFEFF\r\n\r\n']])('refuses an empty reply %j', (text) => {
    expect(errorFor(text, o1)).toEqual({ code: 'empty', message: '【O1 业务服务】的回复是空的。请直接输入本周的内容，每行一条。' });
    expect(errorFor(text, o1, 'en').message).toBe("Your reply for 【O1 业务服务】 is empty. Type this week's items here, one per line.");
  });

  it('refuses a list reply with nothing but markers as empty', () => {
    expect(errorFor('-\n1.\n•', o1).code).toBe('empty');
  });

  it('refuses a section over 20,000 characters, saying the count and the limit and how to shorten it without losing text', () => {
    const text = `1. ${'进'.repeat(MAX_REPLY_CHARS)}`;
    const zh = errorFor(text, o1);
    expect(zh.code).toBe('too_long');
    expect(zh.message).toContain('20003');
    expect(zh.message).toContain('20000');
    // Sending it in pieces would not help: the section is all the pieces together.
    expect(zh.message).not.toContain('拆成');
    expect(zh.message).toContain('已保存的内容不变');
    expect(zh.message).toContain('链接');
    const en = errorFor(text, o1, 'en');
    expect(en.message).toContain('20003 characters, and the limit is 20000');
    expect(en.message).toContain('what was stored is unchanged');
    expect(en.message).not.toContain('Split');
  });

  it('accepts a reply of exactly 20,000 characters', () => {
    expect(parseReply({ source: 'text', text: '进'.repeat(MAX_REPLY_CHARS) }, o1).ok).toBe(true);
  });

  it('refuses an entry without a time, quoting the line and showing the form and the note prefixes', () => {
    const text = '06/03 18:31 中信银行侧配置问题\n\n拉卡拉侧系统问题导致对账文件延迟';
    const zh = errorFor(text, incidents);
    expect(zh).toMatchObject({ code: 'entry_without_time', line: '拉卡拉侧系统问题导致对账文件延迟', lineNumber: 3 });
    expect(zh.message).toBe(
      '第 3 行没有时间：“拉卡拉侧系统问题导致对账文件延迟”。' +
        '每条事件都要以日期和时间开头，例如：06/03 18:31 由于…导致…（也可以写 6月3日 18:31 或 2024-06-03 18:31）。' +
        '如果这是备注，请以 “详细记录：” 或 “备注：” 开头；如果这是上一条事件的补充，请紧接在那一行下面写，中间不要空行。',
    );
    const en = errorFor(text, incidents, 'en');
    expect(en.message).toContain('Line 3 has no time: "拉卡拉侧系统问题导致对账文件延迟"');
    expect(en.message).toContain('06/03 18:31');
    expect(en.message).toContain('"详细记录：" or "备注："');
  });

  it.each([
    ['## 【O2 能力升级】', '【O2 能力升级】'],
    ['# 下周工作及目标', '下周工作及目标'],
    ['  ### 进展', '进展'],
  ])('refuses the heading %j and says to remove the #', (heading, rest) => {
    const zh = errorFor(`${heading}\n1. 存管路由专项`, o1);
    expect(zh).toMatchObject({ code: 'heading', line: heading.trim(), lineNumber: 1 });
    expect(zh.message).toContain(`“${heading.trim()}”`);
    expect(zh.message).toContain('标题由模板生成');
    expect(zh.message).toContain(`删掉行首的 #`);
    expect(zh.message).toContain(`“${rest}”`);
    const en = errorFor(`${heading}\n1. 存管路由专项`, o1, 'en');
    expect(en.message).toContain(`Line 1 is a heading: "${heading.trim()}"`);
    expect(en.message).toContain('Remove the # at the start');
  });

  it('does not take #channel, #1 or a # in the middle of a line for a heading', () => {
    expect(contentOf('#payments-oncall 已同步\n#1 优先级\n协议 # 配置', o1)).toMatchObject({ kind: 'list' });
  });

  it.each([
    ['@all 请更新', '@all'],
    ['请 @所有人 更新', '@所有人'],
    ['@here 请更新', '@here'],
    ['@channel', '@channel'],
    ['<!everyone> 请更新', '<!everyone>'],
    ['<at user_id="all">所有人</at>', '<at user_id="all">'],
  ])('refuses the mention of everyone in %j', (line, token) => {
    const zh = errorFor(`1. 存管路由专项\n2. ${line}`, o1);
    expect(zh).toMatchObject({ code: 'mention_all', line: `2. ${line}`, lineNumber: 2 });
    expect(zh.message).toBe(`第 2 行会通知所有人：“2. ${line}”。周报发布时不能 @所有人，请删掉 “${token}” 后重新发送。`);
    const en = errorFor(`1. 存管路由专项\n2. ${line}`, o1, 'en');
    expect(en.message).toBe(`Line 2 would notify everyone: "2. ${line}". The report must not notify everyone; remove "${token}" and send it again.`);
  });

  it('does not take e-mail addresses or names starting with "all" for mentions of everyone', () => {
    expect(contentOf('联系 ops@here.com 和 @allen', o1)).toMatchObject({ kind: 'list' });
  });

  it.each(['@all-hands 周会改到周四', '请 @all_hands 评审', '@here-team 已同步', '@everyone-else 知悉'])(
    'does not take the group %j for a mention of everyone',
    (line) => {
      expect(contentOf(line, o1)).toEqual({ kind: 'list', items: [{ text: line, children: [] }] });
    },
  );

  it.each(['@all', '@here', '@channel', '@everyone', '@所有人', '@all-', '@here。', '@here请更新'])('still refuses %j on its own', (token) => {
    expect(errorFor(`1. ${token} 请更新`, o1).code).toBe('mention_all');
  });

  it('does not take a "# " line inside a code block for a heading', () => {
    expect(contentOf('支付成功率：\n```\n# 回滚\n```', metrics)).toEqual({ kind: 'text', markdown: '支付成功率：\n```\n# 回滚\n```' });
  });

  it.each(['## 【O1 业务服务】', '【O1 业务服务】', '【O1 业务服务】：', '## 【O1 业务服务】:', '  O1 业务服务：', '**【O1 业务服务】**'])(
    'drops a first line %j that repeats the section title',
    (title) => {
      expect(contentOf(`${title}\n1. 存管路由专项`, o1)).toEqual({ kind: 'list', items: [{ text: '存管路由专项', children: [] }] });
    },
  );

  it('counts lines as typed after dropping the title line', () => {
    expect(errorFor('## 【O1 业务服务】\n1. 存管路由专项\n@here', o1)).toMatchObject({ code: 'mention_all', lineNumber: 3 });
    expect(errorFor('【生产事件】\n\n记账失败', incidents)).toMatchObject({ code: 'entry_without_time', lineNumber: 3 });
  });

  it('refuses a reply that is only the section title as empty', () => {
    expect(errorFor('## 【O1 业务服务】\n', o1).code).toBe('empty');
  });

  it('keeps the title when it is not the first line, or the first line says more', () => {
    expect(errorFor('1. 存管路由专项\n## 【O1 业务服务】', o1).code).toBe('heading');
    expect(contentOf('【O1 业务服务】存管路由专项', o1)).toEqual({ kind: 'list', items: [{ text: '【O1 业务服务】存管路由专项', children: [] }] });
  });

  it('checks every kind of section for headings and mentions', () => {
    expect(errorFor('支付成功率：\n# 可用性', metrics).code).toBe('heading');
    expect(errorFor('06/03 18:31 @所有人 告警', incidents).code).toBe('mention_all');
  });

  it('shortens a long quoted line in the message but keeps it whole in `line`', () => {
    const long = `# ${'很长的标题'.repeat(40)}`;
    const error = errorFor(long, o1);
    expect(error.line).toBe(long);
    expect(error.message).toContain('…');
    expect(error.message).not.toContain(long);
  });

  it('reports an unreadable platform payload in the team locale', () => {
    const zh = parseReply(wireInput({ source: 'feishu-post', content: 'not json' }), o1);
    expect(zh).toMatchObject({ ok: false, error: { code: 'invalid_payload', message: expect.stringContaining('无法读取这条消息') } });
    const en = parseReply(wireInput({ source: 'feishu-post', content: 'not json' }), o1, { locale: 'en' });
    expect(en).toMatchObject({ ok: false, error: { message: expect.stringContaining('could not be read') } });
  });
});

describe('parseReply data', () => {
  it('keeps template syntax {{…}} verbatim: owner text is data, never evaluated', () => {
    const text = '1. {{title}} 与 {{> partial}} 原样保留\n2. {{#each items}}x{{/each}}';
    expect(contentOf(text, o1)).toEqual({
      kind: 'list',
      items: [
        { text: '{{title}} 与 {{> partial}} 原样保留', children: [] },
        { text: '{{#each items}}x{{/each}}', children: [] },
      ],
    });
    expect(contentOf('可用性：{{uptime}}', metrics)).toEqual({ kind: 'text', markdown: '可用性：{{uptime}}' });
    expect(contentOf('06/03 18:31 {{constructor}} 告警', incidents)).toEqual({
      kind: 'entries',
      entries: [{ time: '06/03 18:31', text: '{{constructor}} 告警' }],
      notes: [],
    });
  });

  it('writes mentions with display names from userNames', () => {
    const result = parseReply(wireInput({ source: 'slack-text', text: '1. 跟进 <@U0000000004>' }, { U0000000004: '王芳' }), o1);
    expect(result).toEqual({ ok: true, content: { kind: 'list', items: [{ text: '跟进 @王芳', children: [] }] } });
  });

  describe('silently drops nothing the owner wrote', () => {
    const messy = [
      '\uFEFF业务侧：',
      '  • 省心租开发进度正常，预计617上线。 ',
      '\t◦ 整装近期产研资源紧张',
      '    需要协调',
      '',
      '',
      '２）银行侧：工行对接https://wiki.example.com/icbc，见`icbc-gw`',
      '（3）交行沟通本代本',
      'and cross-bank plan',
      '④ 1.1版本和1.2版本测试进度为20%',
      '-',
      '   + {{title}} 原样',
      '',
      '其他：专利工作推进',
      '· [周报](https://wiki.example.com/weekly)',
    ].join('\r\n');
    const typed = messy
      .replace('\uFEFF', '')
      .split('\r\n')
      .map((line) => line.trim().replace(/^(?:[-+•◦·]|２）|（3）|④)\s*/, ''))
      .filter((line) => line !== '');

    const flatten = (items: ListItem[]): string => items.map((item) => `${item.text}\n${flatten(item.children)}`).join('\n');

    it.each([
      ['list', o1],
      ['text', metrics],
    ])('in a %s section', (_kind, section) => {
      const content = contentOf(messy, section);
      const out = content.kind === 'list' ? flatten(content.items) : content.kind === 'text' ? content.markdown : '';
      const compact = out.replace(/\s+/g, '');
      for (const line of typed) {
        // Bare URLs become links, and continuation lines are joined, so compare without spaces.
        const expected = line.replace('https://wiki.example.com/icbc', '[https://wiki.example.com/icbc](https://wiki.example.com/icbc)');
        expect(compact).toContain(expected.replace(/\s+/g, ''));
      }
    });

    it('in an entries section', () => {
      const text =
        '06/03 18:31 告警：出金状态异常\n  出金流水号 2310293679841814559\n- 06/04 11:03 个体工商户代收失败\r\n\r\n备注：已复盘\n见 https://wiki.example.com/x';
      const content = contentOf(text, incidents);
      const out = JSON.stringify(content);
      for (const line of [
        '06/03 18:31',
        '告警：出金状态异常',
        '出金流水号 2310293679841814559',
        '06/04 11:03',
        '个体工商户代收失败',
        '备注：已复盘',
        '见 [https://wiki.example.com/x](https://wiki.example.com/x)',
      ]) {
        expect(out).toContain(line);
      }
    });
  });
});

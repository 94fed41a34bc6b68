import { beforeEach, describe, expect, it } from 'vitest';
import { consoleBot, FakeClock, openTestStore } from '../support/bot.ts';

/**
 * `/weekly-report` arguments it cannot use: the answer names what is wrong and what to type
 * instead (keeping what the lead typed), never just the usage or the whole help, and nothing is
 * recorded. Wednesday 18 December 2024 in Shanghai: 2024-W51.
 */
async function leadBot(locale: 'zh-CN' | 'en' = 'zh-CN') {
  const store = await openTestStore('command_errors');
  const bot = await consoleBot(store, new FakeClock(new Date('2024-12-18T10:00:00+08:00')));
  if (locale === 'en') bot.ctx.teams = [{ ...bot.team, definition: { ...bot.team.definition, locale: 'en' } }];
  const ask = async (command: string) => {
    await bot.session.command(command);
    const answer = bot.answers.at(-1)!;
    expect(answer.visibility).toBe('caller');
    return answer.message.text;
  };
  return { ...bot, store, ask };
}

/** What the whole help text has and no specific answer should. */
const HELP_LINE = '`week 2024-W22`';

describe('/weekly-report away: dates it cannot use', () => {
  let bot: Awaited<ReturnType<typeof leadBot>>;
  beforeEach(async () => {
    bot = await leadBot();
  });

  it('says the end is before the start, and shows the command with the dates the other way round', async () => {
    const text = await bot.ask('away owner-o2 12/13 12/7');
    expect(text).toBe('结束日期 2024-12-07 早于开始日期 2024-12-13。是不是想写：/weekly-report away owner-o2 12/7 12/13');
    expect(await bot.store.listAbsences('payments-weekly')).toEqual([]);
    // The command it shows does what was meant.
    expect(await bot.ask('away owner-o2 12/7 12/13')).toBe('已记录：Owner O2 2024-12-07 至 2024-12-13 休假，期间不提示、不提醒，状态和摘要中显示为休假。');
  });

  it('keeps the team id typed at the end in the command it shows', async () => {
    expect(await bot.ask('away owner-o2 2024-12-13 2024-12-07 payments-weekly')).toBe(
      '结束日期 2024-12-07 早于开始日期 2024-12-13。是不是想写：/weekly-report away owner-o2 2024-12-07 2024-12-13 payments-weekly',
    );
  });

  it('reads a short end date across New Year as next year’s', async () => {
    expect(await bot.ask('away owner-o2 12/28 1/3')).toBe('已记录：Owner O2 2024-12-28 至 2025-01-03 休假，期间不提示、不提醒，状态和摘要中显示为休假。');
  });

  it('names a word that is not a date, or a person it does not know, then the usage', async () => {
    expect(await bot.ask('away owner-o2 12/3 13/45')).toMatch(
      /^“13\/45” 不是日期：日期写成 2024-06-03 或 6\/3。\n用法：\/weekly-report away <成员> <开始日期> <结束日期>/,
    );
    expect(await bot.ask('away nobody 12/3 12/5')).toMatch(/^没有成员 “nobody”。\n用法：\/weekly-report away .*成员：lead, owner-beiyizhuan, /);
    expect(await bot.store.listAbsences('payments-weekly')).toEqual([]);
  });
});

describe('/weekly-report week: a week that is not one', () => {
  let bot: Awaited<ReturnType<typeof leadBot>>;
  beforeEach(async () => {
    bot = await leadBot();
  });

  it('says the week does not exist (ISO years have 52 or 53 weeks) and gives the valid form, without the whole help', async () => {
    const text = await bot.ask('week 2026-W60');
    expect(text).toBe('2026 年没有第 60 周：ISO 年有 52 或 53 周，2026 年有 53 周（2026-W01 到 2026-W53）。例如：/weekly-report week 2026-W53');
    expect(text).not.toContain(HELP_LINE);
    expect(await bot.ask('week 2024-W00')).toBe(
      '2024 年没有第 0 周：ISO 年有 52 或 53 周，2024 年有 52 周（2024-W01 到 2024-W52）。例如：/weekly-report week 2024-W01',
    );
  });

  it('suggests the ISO form of a week or a date written another way', async () => {
    expect(await bot.ask('week 2024-w5')).toBe('“2024-w5” 不是 ISO 周的写法，应写成 2024-W05。请输入：/weekly-report week 2024-W05');
    expect(await bot.ask('week 2024-06-05')).toBe('“2024-06-05” 不是 ISO 周的写法，应写成 2024-W23。请输入：/weekly-report week 2024-W23');
  });

  it('explains the form of a week for what it cannot read, and asks which week when there is none', async () => {
    expect(await bot.ask('week june')).toBe('“june” 不是 ISO 周：周写成 2024-W22 这样（年份-W周数）。例如：/weekly-report week 2024-W50');
    expect(await bot.ask('week')).toBe('请写要看哪一周，例如：/weekly-report week 2024-W50（本周的草稿：/weekly-report preview）');
    expect(await bot.ask('week 2024-W50 2024-W51')).toBe('week 后面不需要 “2024-W51”。请输入：/weekly-report week 2024-W50');
  });
});

describe('/weekly-report trend, history, participation: a week count out of 1–52', () => {
  let bot: Awaited<ReturnType<typeof leadBot>>;
  beforeEach(async () => {
    bot = await leadBot();
  });

  it('trend 0 says 0 weeks is not a valid count, and keeps the metric typed', async () => {
    expect(await bot.ask('trend 0')).toBe('0 周不是有效的周数（1–52）。例如：/weekly-report trend 12');
    expect(await bot.ask('trend deposit-success-rate 60')).toBe('60 周不是有效的周数（1–52）。例如：/weekly-report trend deposit-success-rate 52');
    expect(bot.platform.messages.filter((m) => m.file)).toEqual([]);
  });

  it('trend with two metrics or two counts says one at a time', async () => {
    expect(await bot.ask('trend deposit-success-rate availability')).toBe(
      '一次只画一个指标（收到了 “deposit-success-rate” 和 “availability”）。例如：/weekly-report trend deposit-success-rate',
    );
    expect(await bot.ask('trend 12 8')).toBe('周数只写一个（收到了 12 和 8）。例如：/weekly-report trend 12');
  });

  it('trend with a word that is no metric still lists the metrics', async () => {
    expect(await bot.ask('trend 成功率')).toMatch(/^没有指标 “成功率”。可选：deposit-success-rate、/);
  });

  it('history with a count out of range says so, and keeps the section', async () => {
    expect(await bot.ask('history o1 0')).toBe('0 周不是有效的周数（1–52）。例如：/weekly-report history o1 4');
    expect(await bot.ask('history 【O1 业务服务】 99')).toBe('99 周不是有效的周数（1–52）。例如：/weekly-report history 【O1 业务服务】 52');
  });

  it('participation with a count out of range, a word that is no count, or a word too many', async () => {
    expect(await bot.ask('participation 0')).toBe('0 周不是有效的周数（1–52）。例如：/weekly-report participation 12');
    expect(await bot.ask('participation lots')).toBe('“lots” 不是周数（1–52 之间的数字）。例如：/weekly-report participation 12');
    expect(await bot.ask('participation 4 8')).toBe('participation 后面不需要 “8”。请输入：/weekly-report participation 4');
  });
});

describe('/weekly-report incidents and delegate: weeks, sections and people it cannot use', () => {
  let bot: Awaited<ReturnType<typeof leadBot>>;
  beforeEach(async () => {
    bot = await leadBot();
  });

  it('incidents names the week that does not exist, a range too long, or a word too many', async () => {
    expect(await bot.ask('incidents 2024-W10 2024-W60')).toBe(
      '2024 年没有第 60 周：ISO 年有 52 或 53 周，2024 年有 52 周（2024-W01 到 2024-W52）。例如：/weekly-report incidents 2024-W10 2024-W52',
    );
    expect(await bot.ask('incidents 2023-W01 2024-W50')).toBe(
      '2023-W01 到 2024-W50 共 102 周，一次最多看 52 周。例如：/weekly-report incidents 2023-W51 2024-W50',
    );
    expect(await bot.ask('incidents 2024-W10 2024-W12 2024-W14')).toBe('incidents 后面不需要 “2024-W14”。请输入：/weekly-report incidents 2024-W10 2024-W12');
  });

  it('delegate names the section, person or week it does not know, then the usage', async () => {
    expect(await bot.ask('delegate o9 owner-o2')).toMatch(/^没有部分 “o9”。\n用法：\/weekly-report delegate <部分> <成员> \[周\]/);
    expect(await bot.ask('delegate o1 nobody')).toMatch(/^没有成员 “nobody”。\n用法：\/weekly-report delegate /);
    expect(await bot.ask('delegate o1 owner-o2 2024-W60')).toBe(
      '2024 年没有第 60 周：ISO 年有 52 或 53 周，2024 年有 52 周（2024-W01 到 2024-W52）。例如：/weekly-report delegate o1 owner-o2 2024-W52',
    );
    for (const week of ['2024-W51', '2024-W52']) expect(await bot.store.listDelegations('payments-weekly', week)).toEqual([]);
  });
});

describe('/weekly-report: words after a command that takes none', () => {
  it('says which word is one too many and what to type, keeping the team id', async () => {
    const bot = await leadBot();
    expect(await bot.ask('status now')).toBe('status 后面不需要 “now”。请输入：/weekly-report status');
    expect(await bot.ask('preview now payments-weekly')).toBe('preview 后面不需要 “now”。请输入：/weekly-report preview payments-weekly');
    expect(await bot.ask('publish now')).toBe(
      'publish 后面只能写 confirm，不能写 “now”。发布：/weekly-report publish；有部分未提交时仍要发布：/weekly-report publish confirm',
    );
    expect((await bot.store.getCycle('payments-weekly', '2024-W51'))?.posts ?? []).toEqual([]);
  });

  it('still answers a subcommand it does not know with the help', async () => {
    const bot = await leadBot();
    const text = await bot.ask('publsh');
    expect(text).toContain('无法识别 “publsh”');
    expect(text).toContain(HELP_LINE);
  });
});

describe('/weekly-report argument errors in English', () => {
  it('says the same in an English team', async () => {
    const bot = await leadBot('en');
    expect(await bot.ask('away owner-o2 12/13 12/7')).toBe(
      'The end date 2024-12-07 is before the start date 2024-12-13. Did you mean: /weekly-report away owner-o2 12/7 12/13',
    );
    expect(await bot.ask('away owner-o2 12/3 13/45')).toMatch(/^“13\/45” is not a date: write 2024-06-03 or 6\/3\.\nUsage: \/weekly-report away/);
    expect(await bot.ask('away nobody 12/3 12/5')).toMatch(/^No one called “nobody” in this report\.\nUsage: /);
    expect(await bot.ask('week 2026-W60')).toBe(
      '2026 has no week 60: ISO years have 52 or 53 weeks, and 2026 has 53 (2026-W01 to 2026-W53). For example: /weekly-report week 2026-W53',
    );
    expect(await bot.ask('week 2024-w5')).toBe('“2024-w5” is not how an ISO week is written: 2024-W05. Type: /weekly-report week 2024-W05');
    expect(await bot.ask('week june')).toBe('“june” is not an ISO week: write it like 2024-W22 (year-W-week). For example: /weekly-report week 2024-W50');
    expect(await bot.ask('week')).toBe('Which week? For example: /weekly-report week 2024-W50 (this week’s draft: /weekly-report preview)');
    expect(await bot.ask('trend 0')).toBe('0 weeks is not a valid count (1–52). For example: /weekly-report trend 12');
    expect(await bot.ask('trend deposit-success-rate availability')).toBe(
      'One metric at a time (got “deposit-success-rate” and “availability”). For example: /weekly-report trend deposit-success-rate',
    );
    expect(await bot.ask('trend 12 8')).toBe('One number of weeks at a time (got 12 and 8). For example: /weekly-report trend 12');
    expect(await bot.ask('participation lots')).toBe('“lots” is not a number of weeks (1–52). For example: /weekly-report participation 12');
    expect(await bot.ask('incidents 2023-W01 2024-W50')).toBe(
      '2023-W01 to 2024-W50 is 102 weeks; at most 52 at a time. For example: /weekly-report incidents 2023-W51 2024-W50',
    );
    expect(await bot.ask('delegate o9 owner-o2')).toMatch(/^No section “o9”\.\nUsage: \/weekly-report delegate/);
    expect(await bot.ask('status now')).toBe('status takes no “now”. Type: /weekly-report status');
    expect(await bot.ask('publish now')).toBe(
      'publish takes only “confirm”, not “now”. To publish: /weekly-report publish; to publish with sections missing: /weekly-report publish confirm',
    );
  });
});

import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { MemoryStore } from '../../src/store/index.ts';
import { pngSize } from '../charts/golden-file.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../support/stored-weeks.ts';

/** The lead on Friday of the reference week, with 2024-W22 and 2024-W23 stored. */
async function fridayWithHistory() {
  const store = new MemoryStore();
  const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:00:00+08:00')));
  await storeWeek(store, bot.team, '2024-W22', W22_CREATED, W22_REPLIES, new Date('2024-05-31T17:00:00+08:00'));
  await storeReferenceWeek(store, bot.team, new Date('2024-06-07T17:00:00+08:00'));
  const lastAnswer = () => bot.answers.at(-1)!.message.text;
  return { ...bot, store, lastAnswer };
}

describe('/weekly-report trend', () => {
  let bot: Awaited<ReturnType<typeof fridayWithHistory>>;
  beforeAll(async () => {
    bot = await fridayWithHistory();
  });

  it('sends the chart of the last 12 weeks as a PNG, which the console writes to a file and names', async () => {
    await bot.session.command('trend');
    const sent = bot.platform.messages.at(-1)!;
    expect(sent.channel).toBe('@lead');
    expect(sent.file?.filename).toBe('payments-weekly-trend-2024-W23.png');
    expect(sent.text).toBe(`📎 payments-weekly-trend-2024-W23.png: ${sent.file!.path}`);
    expect(pngSize(readFileSync(sent.file!.path!))).toEqual({ width: 800, height: 400 });
    expect(bot.lastAnswer()).toBe('📈 已发送趋势图：支付中心周报 2024-W12 – 2024-W23');
  });

  it('draws one metric, by id or label, over the weeks asked for', async () => {
    await bot.session.command('trend 4 CD级');
    expect(bot.lastAnswer()).toBe('📈 已发送趋势图：支付中心周报 2024-W20 – 2024-W23');
    await bot.session.command('trend recovery-outstanding');
    expect(bot.platform.messages.at(-1)!.file?.filename).toMatch(/\.png$/);
  });

  it('names the metrics it knows when asked for one it does not, and sends nothing', async () => {
    const before = bot.platform.messages.length;
    await bot.session.command('trend 成功率');
    expect(bot.lastAnswer()).toContain('没有指标 “成功率”。可选：deposit-success-rate、');
    expect(bot.platform.messages).toHaveLength(before);
  });
});

describe('/weekly-report incidents', () => {
  it('lists the entries of every week in range with their week and time, oldest first', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('incidents 2024-W22 2024-W23');
    const text = bot.lastAnswer();
    expect(text).toMatch(/^🚨 2024-W22 – 2024-W23 生产事件 13 起\n\n\*2024-W22\*（2 起）\n• 05\/28 09:12 银联通道超时，3 笔出金重试后成功\n/);
    expect(text).toContain('*2024-W23*（11 起）\n• 06/03 18:31 由于中信银行侧');
    expect(text.indexOf('2024-W22*')).toBeLessThan(text.indexOf('2024-W23*'));
  });

  it('covers the quarter up to this week by default, and one week when asked', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('incidents');
    expect(bot.lastAnswer()).toMatch(/^🚨 2024-W11 – 2024-W23 生产事件 13 起/);
    await bot.session.command('incidents 2024-w23 2024-W23');
    expect(bot.lastAnswer()).toMatch(/^🚨 2024-W23 – 2024-W23 生产事件 11 起/);
    await bot.session.command('incidents 2024-W10 2024-W12');
    expect(bot.lastAnswer()).toBe('2024-W10 – 2024-W12 没有记录生产事件。');
  });

  it('refuses what is not a week', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('incidents june');
    expect(bot.lastAnswer()).toContain('“june” 不是 ISO 周');
  });
});

describe('/weekly-report history', () => {
  it('shows a section week by week, as each week printed it', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('history o1 2');
    const text = bot.lastAnswer();
    expect(text).toMatch(/^\*2024-W22\*\n\n## 【O1 业务服务】\n\n1\. 资金安全：物保规则评审完成\n2\. 对账延迟告警上线\n\n———\n\n\*2024-W23\*\n\n## 【O1 业务服务】\n/);
  });

  it('finds a section by its title and prints an unanswered week as the report does', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('history 【贝易转】');
    expect(bot.lastAnswer()).toContain('*2024-W22*\n\n- 【贝易转】\n    暂无');
  });

  it('asks for a section it knows', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('history');
    expect(bot.lastAnswer()).toContain('请指定部分');
    await bot.session.command('history o9');
    expect(bot.lastAnswer()).toContain('没有部分 “o9”');
  });
});

describe('/weekly-report participation', () => {
  async function twoWeeks() {
    const store = new MemoryStore();
    const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:00:00+08:00')));
    await storeWeek(store, bot.team, '2024-W22', W22_CREATED, [
      ...W22_REPLIES,
      { sectionId: 'decoration-escrow', text: '1. 迟到的一条', receivedAt: new Date('2024-05-31T18:30:00+08:00') },
      { sectionId: 'payment-safety', text: '', skipped: true },
    ], new Date('2024-05-31T17:00:00+08:00'));
    await storeReferenceWeek(store, bot.team, new Date('2024-06-07T17:00:00+08:00'));
    return { ...bot, lastAnswer: () => bot.answers.at(-1)!.message.text };
  }

  it('shows a lead every owner and section: on time, late, skipped, missing, week by week', async () => {
    const bot = await twoWeeks();
    await bot.session.command('participation');
    const text = bot.lastAnswer();
    expect(text).toMatch(/^2024-W22 – 2024-W23（2 周）/);
    expect(text).toContain('Owner O1 【O1 业务服务】 ✅✅  ✅2 ⏰0 ⏭0 ❌0');
    expect(text).toContain('Owner 装修存管 【装修存管项目】 ⏰✅  ✅1 ⏰1 ⏭0 ❌0');
    expect(text).toContain('Owner 支付安全 【430改进落地以及支付安全治理】 ⏭✅  ✅1 ⏰0 ⏭1 ❌0');
    expect(text).toContain('Owner 贝易转 【贝易转】 ❌✅  ✅1 ⏰0 ⏭0 ❌1');
    // The second owner of 【其他】 never answered it.
    expect(text).toContain('Owner O2 【其他】 ❌❌  ✅0 ⏰0 ⏭0 ❌2');
  });

  it('shows anyone else only their own rows', async () => {
    const bot = await twoWeeks();
    bot.session.you = 'owner-escrow';
    await bot.session.command('participation 4');
    const text = bot.lastAnswer();
    expect(text).toContain('Owner 装修存管 【装修存管项目】 ⏰✅');
    expect(text).not.toContain('Owner O1');
    expect(text).not.toContain('Lead');
  });

  it('explains a week count it cannot read', async () => {
    const bot = await twoWeeks();
    await bot.session.command('participation lots');
    expect(bot.lastAnswer()).toContain('用法：participation [周数]');
  });
});

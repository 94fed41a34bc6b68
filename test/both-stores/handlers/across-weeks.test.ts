import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { pngSize } from '../../charts/golden-file.ts';
import { consoleBot, FakeClock } from '../../support/bot.ts';
import { storeReferenceWeek, storeWeek, W22_CREATED, W22_REPLIES } from '../../support/stored-weeks.ts';
import { ANSWER_PART_LIMIT, MAX_ANSWER_MESSAGES } from '../../../handlers/across-weeks/long-answer.ts';
import { heatmapCells, type SeenRow, type WeekParticipation } from '../../../handlers/across-weeks/participation.ts';
import { momentInWeek, shiftWeek } from '../../../src/report/week.ts';
import { storesDiscardedAfterFile } from '../../support/test-store.ts';

/** A store of the project's kind (MemoryStore in unit, MongoStore in db), discarded after the file. */
const freshStore = storesDiscardedAfterFile();

/** The lead on Friday of the reference week, with 2024-W22 and 2024-W23 stored. */
async function fridayWithHistory() {
  const store = await freshStore('across_weeks_1');
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
    expect(sent.file?.filename).toBe('payments-weekly-trend-percentages-2024-W23.png');
    expect(sent.text).toBe(`📎 payments-weekly-trend-percentages-2024-W23.png: ${sent.file!.path}`);
    expect(pngSize(readFileSync(sent.file!.path!))).toEqual({ width: 800, height: 400 });
    expect(bot.lastAnswer()).toBe('📈 已发送趋势图：支付中心周报 入金有效成功率、出金有效成功率、年度可用性 2024-W12 – 2024-W23');
  });

  it('draws one metric, by id or label, over the weeks asked for', async () => {
    await bot.session.command('trend 4 CD级');
    expect(bot.lastAnswer()).toBe('📈 已发送趋势图：支付中心周报 CD级 2024-W20 – 2024-W23');
    await bot.session.command('trend recovery-outstanding');
    expect(bot.platform.messages.at(-1)!.file?.filename).toBe('payments-weekly-trend-recovery-outstanding-2024-W23.png');
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
    expect(text).toMatch(
      /^\*2024-W22\*\n\n## 【O1 业务服务】\n\n1\. 资金安全：物保规则评审完成\n2\. 对账延迟告警上线\n\n———\n\n\*2024-W23\*\n\n## 【O1 业务服务】\n/,
    );
  });

  it('finds a section by its title and prints an unanswered week as the report does', async () => {
    const bot = await fridayWithHistory();
    await bot.session.command('history 【贝易转】');
    expect(bot.lastAnswer()).toContain('*2024-W22*\n\n- 【贝易转】\n\n    暂无');
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
    const store = await freshStore('across_weeks_2');
    const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:00:00+08:00')));
    await storeWeek(
      store,
      bot.team,
      '2024-W22',
      W22_CREATED,
      [
        ...W22_REPLIES,
        { sectionId: 'decoration-escrow', text: '1. 迟到的一条', receivedAt: new Date('2024-05-31T18:30:00+08:00') },
        { sectionId: 'payment-safety', text: '', skipped: true },
      ],
      new Date('2024-05-31T17:00:00+08:00'),
    );
    await storeReferenceWeek(store, bot.team, new Date('2024-06-07T17:00:00+08:00'));
    return { ...bot, lastAnswer: () => bot.answers.at(-1)!.message.text };
  }

  it('shows a lead every owner and section: on time, late, skipped, missing, week by week', async () => {
    const bot = await twoWeeks();
    await bot.session.command('participation');
    const text = bot.lastAnswer();
    expect(text).toMatch(/^2024-W22 – 2024-W23（2 周）/);
    expect(text).toContain('Owner O1 【O1 业务服务】 ✅✅  ✅2 ⏰0 ⏭0 🌴0 ❌0');
    expect(text).toContain('Owner 装修存管 【装修存管项目】 ⏰✅  ✅1 ⏰1 ⏭0 🌴0 ❌0');
    expect(text).toContain('Owner 支付安全 【430改进落地以及支付安全治理】 ⏭✅  ✅1 ⏰0 ⏭1 🌴0 ❌0');
    expect(text).toContain('Owner 贝易转 【贝易转】 ❌✅  ✅1 ⏰0 ⏭0 🌴0 ❌1');
    // Nobody answered 【其他】 in W22; in W23 the lead did, which covers its second owner too.
    expect(text).toContain('Owner O2 【其他】 ❌✅  ✅1 ⏰0 ⏭0 🌴0 ❌1');
  });

  it('counts someone away during a week they did not answer as away, not missing, and only that week', async () => {
    const bot = await twoWeeks();
    // 2024-W22 collected from Tuesday 05-28 to Friday 05-31.
    await bot.session.command('away owner-beiyizhuan 2024-05-27 2024-05-31');
    await bot.session.command('away owner-o2 2024-06-03 2024-06-04');
    await bot.session.command('participation');
    const text = bot.lastAnswer();
    expect(text).toContain('🌴休假');
    expect(text).toContain('Owner 贝易转 【贝易转】 🌴✅  ✅1 ⏰0 ⏭0 🌴1 ❌0');
    // Away in W23 only (its window opens 06-04): W22 stays missing. In W23 the lead answered 【其他】
    // for both its owners, so O2 is covered there, not away.
    expect(text).toContain('Owner O2 【其他】 ❌✅  ✅1 ⏰0 ⏭0 🌴0 ❌1');
  });

  it('sends the lead a heatmap of everyone in a direct message: a row per person, a column per week', async () => {
    const bot = await twoWeeks();
    await bot.session.command('participation');
    const [title, image] = bot.platform.messages.slice(-2);
    expect(title!.channel).toBe('@lead');
    expect(title!.text).toBe('支付中心周报 参与情况 2024-W22 – 2024-W23');
    expect(image!.channel).toBe('@lead');
    expect(image!.file?.filename).toBe('payments-weekly-participation-2024-W23.png');
    const people = new Set(bot.team.definition.sections.flatMap((s) => s.owners)).size;
    expect(pngSize(readFileSync(image!.file!.path!))).toEqual({ width: 800, height: 150 + 40 * people });
    expect(bot.lastAnswer()).toContain('参与情况热力图已私信发给你');
  });

  it('draws a member’s heatmap from their own rows only, and sends it to them alone', async () => {
    const bot = await twoWeeks();
    bot.session.you = 'owner-escrow';
    await bot.session.command('participation');
    const images = bot.platform.messages.filter((m) => m.file?.filename.endsWith('.png'));
    expect(images.map((m) => m.channel)).toEqual(['@owner-escrow']);
    expect(pngSize(readFileSync(images[0]!.file!.path!))).toEqual({ width: 800, height: 150 + 40 });
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
    expect(bot.lastAnswer()).toBe('“lots” 不是周数（1–52 之间的数字）。例如：/weekly-report participation 12');
  });
});

describe('heatmapCells', () => {
  it('shows each person’s week as the worst of their sections: one missing section is a missing week', () => {
    const row = (sectionId: string, statuses: WeekParticipation[]): SeenRow => ({
      person: 'owner-o2',
      sectionId,
      weeks: statuses.map((status, i) => ({ week: `2024-W2${i}`, status })),
      counts: { 'on-time': 0, late: 0, skipped: 0, away: 0, missing: 0 },
    });
    const cells = heatmapCells([row('o2', ['on-time', 'skipped', 'away', 'late']), row('others', ['missing', 'on-time', 'away', 'skipped'])]);
    expect(cells.map((c) => c.status)).toEqual(['missing', 'on-time', 'away', 'late']);
  });
});

/** Answers as the console shows them, each within what one message on every platform holds. */
function expectEachWithinLimit(answers: readonly string[]): void {
  for (const answer of answers) {
    expect([...answer].length).toBeLessThanOrEqual(ANSWER_PART_LIMIT);
    expect(Buffer.byteLength(answer, 'utf8')).toBeLessThanOrEqual(ANSWER_PART_LIMIT * 3);
  }
}

describe('long answers', () => {
  /** A busy O1 owner: 25 items of about 100 characters each week, for `weeks` weeks up to 2024-W23. */
  async function longHistory(weeks: number) {
    const store = await freshStore('across_weeks_3');
    const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:00:00+08:00')));
    const itemsOf = (week: string) => Array.from({ length: 25 }, (_, i) => `${week} 第 ${i + 1} 项：${'支付链路治理与对账改进'.repeat(9)}`);
    for (let back = weeks - 1; back >= 0; back -= 1) {
      const week = shiftWeek('2024-W23', -back);
      const created = momentInWeek(week, { day: 'tuesday', time: '15:30' }, 'Asia/Shanghai');
      await storeWeek(store, bot.team, week, created, [
        {
          sectionId: 'o1',
          text: itemsOf(week)
            .map((item, i) => `${i + 1}. ${item}`)
            .join('\n'),
        },
      ]);
    }
    const answersFrom = (start: number) => bot.answers.slice(start).map((a) => a.message.text);
    return { ...bot, itemsOf, answersFrom };
  }

  it('splits a history longer than one message into several, each within the limit, marked, with every week whole and nothing left out', async () => {
    const bot = await longHistory(8);
    await bot.session.command('history o1 8');
    const answers = bot.answersFrom(0);
    expect(answers.length).toBeGreaterThan(1);
    expect(answers.length).toBeLessThanOrEqual(MAX_ANSWER_MESSAGES);
    expectEachWithinLimit(answers);
    answers.forEach((answer, i) => expect(answer.slice(0, 8)).toBe(`（${i + 1}/${answers.length}）\n\n*`));
    for (let back = 7; back >= 0; back -= 1) {
      const week = shiftWeek('2024-W23', -back);
      // Each week in one message: its heading and all its items together.
      const holding = answers.filter((a) => a.includes(`*${week}*`));
      expect(holding).toHaveLength(1);
      for (const item of bot.itemsOf(week)) expect(holding[0]).toContain(item);
    }
    expect(bot.answers.every((a) => a.message.markdown === a.message.text)).toBe(true);
  });

  it('past five messages sends the first four and a note, and the whole history as a file in a direct message to the caller', async () => {
    const bot = await longHistory(52);
    await bot.session.command('history o1 52');
    const answers = bot.answersFrom(0);
    expect(answers).toHaveLength(MAX_ANSWER_MESSAGES);
    expectEachWithinLimit(answers);
    const parts = Number(/^（1\/(\d+)）/.exec(answers[0]!)?.[1]);
    expect(parts).toBeGreaterThan(MAX_ANSWER_MESSAGES);
    const filename = 'payments-weekly-history-o1-2023-W24-2024-W23.md';
    expect(answers[4]).toBe(`……回答较长，共 ${parts} 部分，这里显示了前 4 部分；完整内容已作为文件 ${filename} 私信发给你。`);
    const [note, file] = bot.platform.messages.slice(-2);
    expect(note).toMatchObject({ channel: '@lead', text: `📎 完整内容见文件 ${filename}` });
    expect(file!.channel).toBe('@lead');
    expect(file!.file?.filename).toBe(filename);
    for (let back = 51; back >= 0; back -= 1) {
      for (const item of bot.itemsOf(shiftWeek('2024-W23', -back))) expect(file!.file!.content).toContain(item);
    }
  });

  it('splits a long incident list between weeks, under one header, with every incident in it', async () => {
    const store = await freshStore('across_weeks_4');
    const bot = await consoleBot(store, new FakeClock(new Date('2024-06-07T18:00:00+08:00')));
    const linesOf = (week: string) =>
      Array.from(
        { length: 30 },
        (_, i) => `06/0${1 + (i % 5)} ${String(10 + (i % 12)).padStart(2, '0')}:${String(i).padStart(2, '0')} ${week} 第 ${i + 1} 起：通道超时，重试后成功`,
      );
    for (let back = 12; back >= 0; back -= 1) {
      const week = shiftWeek('2024-W23', -back);
      const created = momentInWeek(week, { day: 'tuesday', time: '15:30' }, 'Asia/Shanghai');
      await storeWeek(store, bot.team, week, created, [{ sectionId: 'incidents', text: linesOf(week).join('\n\n') }]);
    }
    await bot.session.command('incidents');
    const answers = bot.answers.map((a) => a.message.text);
    expect(answers.length).toBeGreaterThan(1);
    expect(answers.length).toBeLessThanOrEqual(MAX_ANSWER_MESSAGES);
    expectEachWithinLimit(answers);
    expect(answers[0]).toMatch(/^🚨 2024-W11 – 2024-W23 生产事件 390 起\n\n（1\/\d）\n\n\*2024-W11\*（30 起）/);
    const all = answers.join('\n');
    for (let back = 12; back >= 0; back -= 1) {
      const week = shiftWeek('2024-W23', -back);
      expect(all.split(`*${week}*`)).toHaveLength(2);
      for (const line of linesOf(week)) expect(all).toContain(line.slice(12));
    }
  });
});

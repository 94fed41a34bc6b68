import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { heatmapCells, participationFor } from '../../../handlers/across-weeks/participation.ts';
import { exportWeeks } from '../../../src/cli/export.ts';
import type { Store } from '../../../src/store/store.ts';
import { consoleBot, FakeClock } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

const WEEK = '2024-W23';
let store: Store | undefined;

afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

/**
 * A week where 【其他】 (owners: Lead, Owner O2) is answered by the lead only, O1 and O2 answer
 * their own sections, 【430改进落地以及支付安全治理】 is skipped, and the owner of 【贝易转】 is away.
 */
async function sharedSectionWeek(label: string, other: string) {
  store = await openTestStore(label);
  const clock = new FakeClock(new Date('2024-06-03T10:00:00+08:00'));
  const bot = await consoleBot(store, clock);
  await bot.session.command('away owner-beiyizhuan 2024-06-03 2024-06-09');
  clock.set('2024-06-04T15:34:00+08:00');
  await runDueJobs(bot.ctx, bot.team, bot.holder);
  const promptOf = (owner: string, sectionId: string) =>
    bot.platform.messages.find((m) => m.channel === `@${owner}` && m.answerForm?.sectionId === sectionId)!.id;
  const answer = async (owner: string, sectionId: string, text: string) => {
    bot.session.you = owner;
    await bot.session.say(text, promptOf(owner, sectionId));
  };
  await answer('owner-o1', 'o1', '1. O1 的一件事');
  await answer('owner-o2', 'o2', '1. O2 的一件事');
  await answer('lead', 'other', other);
  await answer('owner-safety', 'payment-safety', '本周无');
  bot.session.you = 'lead';
  const titles = bot.team.definition.sections.map((s) => s.title);
  const lastAnswer = () => bot.answers.at(-1)!.message.text;
  return { bot, clock, titles, lastAnswer };
}

/** The lines of `status` by their mark, each split into the section titles it lists. */
function statusLines(status: string, titles: readonly string[]): Record<string, string[]> {
  const byMark: Record<string, string[]> = {};
  for (const line of status.split('\n').slice(1)) {
    const mark = [...line][0]!;
    byMark[mark] = titles.filter((t) => line.includes(t));
  }
  return byMark;
}

describe('counts add up: a section shared by two owners, a skip, someone away', () => {
  it('status lists each section once: answered, skipped, missing or away, and the counts add up to all of them', async () => {
    const { bot, titles, lastAnswer } = await sharedSectionWeek('counts_status', '1. 其他事项');
    await bot.session.command('status');
    const status = lastAnswer();
    expect(status.split('\n')[0]).toBe(`${WEEK} 已提交 4/12`);
    const lines = statusLines(status, titles);
    expect(lines['✅']).toEqual(['【O1 业务服务】', '【O2 能力升级】', '【其他】']);
    expect(lines['⏭']).toEqual(['【430改进落地以及支付安全治理】']);
    expect(lines['🌴']).toEqual(['【贝易转】']);
    expect(status).toContain('⏭ 跳过：【430改进落地以及支付安全治理】');
    expect(status).toContain('🌴 休假：【贝易转】（Owner 贝易转）');
    // Every section exactly once; the co-owner of 【其他】 is covered by the lead's answer.
    expect(Object.values(lines).flat().sort()).toEqual([...titles].sort());
    expect(lines['⏳']).toHaveLength(12 - 3 - 1 - 1);
    expect(status).not.toContain('【其他】（');

    // Publishing asks about the same sections: the missing ones and the one whose owner is away.
    await bot.session.command('publish');
    expect(lastAnswer()).toMatch(/^2024-W23 还有 8 个部分未提交：/);
    expect(lastAnswer()).not.toContain('【其他】');
    expect(lastAnswer()).toContain('【贝易转】（Owner 贝易转）');
  });

  it('the digest counts the same: submitted includes the skip, and the co-owner is not missing', async () => {
    const { bot, clock } = await sharedSectionWeek('counts_digest', '1. 其他事项');
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const header = bot.platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf)!;
    expect(header.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 4\/12（其中跳过 1），未提交：[^。]*，休假：Owner 贝易转。/);
    expect(/未提交：([^，。]*)/.exec(header.text)![1]).not.toContain('Owner O2');
  });

  it('participation covers the co-owner with the lead’s answer, so their heatmap cell is not missing', async () => {
    const { bot, clock, lastAnswer } = await sharedSectionWeek('counts_participation', '1. 其他事项');
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    clock.set('2024-06-07T18:00:00+08:00');
    await bot.session.command('participation 1');
    const table = lastAnswer();
    expect(table).toContain('Owner O2 【其他】 ✅  ✅1 ⏰0 ⏭0 🌴0 ❌0');
    expect(table).toContain('Lead 【其他】 ✅  ✅1 ⏰0 ⏭0 🌴0 ❌0');
    expect(table).toContain('Owner 支付安全 【430改进落地以及支付安全治理】 ⏭  ✅0 ⏰0 ⏭1 🌴0 ❌0');
    expect(table).toContain('Owner 贝易转 【贝易转】 🌴  ✅0 ⏰0 ⏭0 🌴1 ❌0');

    const seen = await participationFor(bot.ctx, bot.team, 'lead', WEEK, 1);
    const cells = Object.fromEntries(heatmapCells(seen.rows).map((c) => [c.person, c.status]));
    expect(cells['owner-o2']).toBe('on-time');
    expect(cells['owner-safety']).toBe('skipped');
    expect(cells['owner-beiyizhuan']).toBe('away');
    // The lead still owes 收获与反思: their week is missing.
    expect(cells.lead).toBe('missing');
  });

  it('the JSON export gives each section the state status gives it', async () => {
    const { bot } = await sharedSectionWeek('counts_export', '1. 其他事项');
    const json = JSON.parse(await exportWeeks(store!, bot.team, { from: WEEK, to: WEEK, format: 'json', drafts: true })) as {
      weeks: { sections: { id: string; state: string; missing?: string[]; away?: string[] }[] }[];
    };
    const sections = json.weeks[0]!.sections;
    const state = Object.fromEntries(sections.map((s) => [s.id, s.state]));
    expect(state).toMatchObject({ o1: 'answered', o2: 'answered', other: 'answered', 'payment-safety': 'skipped', beiyizhuan: 'away', o3: 'missing' });
    const count = (s: string) => sections.filter((x) => x.state === s).length;
    expect([count('answered'), count('skipped'), count('missing'), count('away')]).toEqual([3, 1, 7, 1]);
    expect(sections.find((s) => s.id === 'other')).not.toHaveProperty('missing');
    expect(sections.find((s) => s.id === 'beiyizhuan')!.away).toEqual(['owner-beiyizhuan']);
    expect(sections.find((s) => s.id === 'o3')!.missing).toEqual(['owner-o3']);
  });

  it('a shared section skipped by one owner is skipped for both, in status and participation', async () => {
    const { bot, clock, titles, lastAnswer } = await sharedSectionWeek('counts_shared_skip', '跳过');
    await bot.session.command('status');
    const lines = statusLines(lastAnswer(), titles);
    expect(lines['⏭']).toEqual(['【430改进落地以及支付安全治理】', '【其他】']);
    expect(lines['✅']).toEqual(['【O1 业务服务】', '【O2 能力升级】']);
    expect(lastAnswer().split('\n')[0]).toBe(`${WEEK} 已提交 4/12`);

    clock.set('2024-06-07T18:00:00+08:00');
    await bot.session.command('participation 1');
    expect(lastAnswer()).toContain('Owner O2 【其他】 ⏭  ✅0 ⏰0 ⏭1 🌴0 ❌0');
  });

  it('reminds only for sections nobody answered: the co-owner the lead covered gets no “not received yet”', async () => {
    const { bot, clock } = await sharedSectionWeek('counts_remind', '1. 其他事项');
    clock.set('2024-06-06T16:00:00+08:00');
    await bot.session.command('remind');
    const reminders = bot.platform.messages.filter((m) => m.text.startsWith('⏰'));
    const remindedFor = (owner: string) => reminders.filter((m) => m.channel === `@${owner}`).map((m) => m.text);
    // 【其他】 is the lead's and O2's: the lead answered it, so O2 is not told it is missing.
    expect(remindedFor('owner-o2')).toEqual([]);
    expect(reminders.some((m) => m.text.includes('【其他】'))).toBe(false);
    // Who owes a section still hears of it (the lead's 收获与反思; O3's 【O3 平台治理】).
    expect(remindedFor('owner-o3').join('\n')).toContain('【O3 平台治理】');
    expect(remindedFor('lead').join('\n')).toContain('收获与反思');
  });

  it('says it in English for an English team', async () => {
    const { bot, clock, lastAnswer } = await sharedSectionWeek('counts_status_en', '1. 其他事项');
    bot.team.definition.locale = 'en';
    await bot.session.command('status');
    const status = lastAnswer();
    expect(status.split('\n')[0]).toBe(`${WEEK}: 4/12 submitted`);
    expect(status).toContain('⏭ skipped: 【430改进落地以及支付安全治理】');
    expect(status).toContain('🌴 away: 【贝易转】 (Owner 贝易转)');
    expect(status).toMatch(/⏳ missing: 【装修存管项目】 \(Owner 装修存管\), /);

    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const header = bot.platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf)!;
    expect(header.text).toMatch(/^📋 支付中心周报 2024-W23: 4\/12 sections submitted \(1 skipped\); missing: [^;]*; away: Owner 贝易转\./);
    expect(header.text).not.toMatch(/missing: [^;]*Owner O2/);
  });
});

import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { Store } from '../../../src/store/store.ts';
import { consoleBot, FakeClock } from '../../support/bot.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';

/** payments-weekly opens Tuesday 15:30, reminds Thursday 16:00 and publishes Friday 17:00, Asia/Shanghai; 2024-W23 is 3–9 June. */
let store: Store | undefined;
afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

async function firstStartAt(at: string, label: string, holidays: Team['definition']['holidays'] = []) {
  store = await openTestStore(label);
  const clock = new FakeClock(new Date(at));
  const bot = await consoleBot(store, clock);
  bot.team.definition.holidays = holidays;
  const outcomes = await runDueJobs(bot.ctx, bot.team, bot.holder);
  const prompts = () => bot.platform.messages.filter((m) => m.answerForm);
  const posts = () => bot.platform.messages.filter((m) => m.channel === '#payments-weekly');
  return { bot, clock, outcomes, prompts, posts };
}

describe('the schedule at the awkward times', () => {
  it('does nothing on a first start Monday 10:00, and status says when the week opens and how to open it now', async () => {
    const { bot, outcomes, prompts, posts } = await firstStartAt('2024-06-03T10:00:00+08:00', 'monday');
    expect(outcomes).toEqual([]);
    expect(prompts()).toEqual([]);
    expect(posts()).toEqual([]);
    for (const sub of ['status', 'remind', 'publish']) {
      await bot.session.command(sub);
      expect(bot.answers.at(-1)!.message.text).toBe('2024-W23 周报还没有开始收集，将于 6月4日 周二 15:30 自动开始。负责人现在就可以开始：/weekly-report open');
    }
    await bot.session.command('open');
    expect(bot.answers.at(-1)!.message.text).toMatch(/^已开始 2024-W23：发出提示 13 条/);
    expect(prompts()).toHaveLength(13);
  });

  it('opens and prompts on a first start Tuesday 15:31', async () => {
    const { outcomes, prompts, posts } = await firstStartAt('2024-06-04T15:31:00+08:00', 'tuesday');
    expect(outcomes).toEqual([{ job: 'open', week: '2024-W23', status: 'done' }]);
    expect(prompts()).toHaveLength(13);
    expect(posts()).toEqual([]);
  });

  for (const [when, at] of [
    ['Friday 18:30', '2024-06-07T18:30:00+08:00'],
    ['Saturday', '2024-06-08T11:00:00+08:00'],
    ['Sunday', '2024-06-09T21:00:00+08:00'],
  ] as const) {
    it(`neither prompts with a past deadline nor posts an empty report on a first start ${when}`, async () => {
      const { bot, outcomes, prompts, posts } = await firstStartAt(at, when);
      expect(outcomes.map((o) => `${o.job}:${o.reason}`)).toEqual(['open:window-closed', 'publish:never-opened']);
      expect(prompts()).toEqual([]);
      expect(posts()).toEqual([]);
      // A sweep five minutes later does the same: nothing.
      bot.ctx.clock = { now: () => new Date(new Date(at).getTime() + 5 * 60_000) };
      await runDueJobs(bot.ctx, bot.team, bot.holder);
      expect(bot.platform.messages).toEqual([]);
    });
  }

  it('after a restart mid-week, reminds on Thursday and publishes on Friday, once each', async () => {
    const { bot, clock, prompts } = await firstStartAt('2024-06-04T15:31:00+08:00', 'restart');
    // Another process (the restarted bot) with the same store.
    const restarted = await consoleBot(store!, clock, 'replica-after-restart');
    clock.set('2024-06-06T16:05:00+08:00');
    expect(await runDueJobs(restarted.ctx, restarted.team, restarted.holder)).toEqual([
      { job: 'open', week: '2024-W23', status: 'done' },
      { job: 'remind', week: '2024-W23', status: 'done' },
    ]);
    expect(restarted.platform.messages.filter((m) => m.text.startsWith('⏰'))).toHaveLength(prompts().length);
    expect(restarted.platform.messages.filter((m) => m.answerForm)).toEqual([]);
    clock.set('2024-06-07T17:05:00+08:00');
    const outcomes = await runDueJobs(restarted.ctx, restarted.team, restarted.holder);
    expect(outcomes.at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    expect(restarted.platform.messages.filter((m) => m.channel === '#payments-weekly' && !m.threadOf)).toHaveLength(1);
    expect(bot.platform.messages.filter((m) => m.channel === '#payments-weekly')).toEqual([]);
  });

  it('runs nothing in a holiday week, and status says why', async () => {
    const { bot, outcomes, prompts, posts, clock } = await firstStartAt('2024-06-04T15:31:00+08:00', 'holiday', [
      { name: '端午节', from: '2024-06-07', to: '2024-06-10' },
    ]);
    expect(outcomes).toEqual([{ job: 'open', week: '2024-W23', status: 'skipped', reason: 'holiday' }]);
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(prompts()).toEqual([]);
    expect(posts()).toEqual([]);
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toBe('2024-W23 是假期（端午节），本周不收集周报：不发提示、不提醒、不发布。');
  });

  it('asks before publishing with sections missing, and publishes on “publish confirm”', async () => {
    const { bot, posts } = await firstStartAt('2024-06-04T15:31:00+08:00', 'confirm');
    await bot.session.command('publish');
    const asked = bot.answers.at(-1)!.message;
    expect(asked.text).toMatch(/^2024-W23 还有 12 个部分未提交：【贝易转】（Owner 贝易转）/);
    expect(asked.commands).toEqual([{ label: '仍然发布', command: 'publish confirm' }]);
    expect(posts()).toEqual([]);
    await bot.session.command('publish confirm');
    expect(bot.answers.at(-1)!.message.text).toBe('2024-W23 周报已发布。');
    expect(posts().filter((m) => !m.threadOf)).toHaveLength(1);
  });
});

describe('a person away', () => {
  it('is not prompted or reminded, and status and the digest list them as away, not missing', async () => {
    store = await openTestStore('away');
    const clock = new FakeClock(new Date('2024-06-03T10:00:00+08:00'));
    const bot = await consoleBot(store, clock);
    // Only a lead may say so, with a person and dates it can read.
    bot.session.you = 'owner-o1';
    await bot.session.command('away owner-o2 2024-06-03 2024-06-09');
    expect(bot.answers.at(-1)!.message.text).toContain('只有周报负责人可以执行 away');
    bot.session.you = 'lead';
    await bot.session.command('away nobody 6/3 6/9');
    expect(bot.answers.at(-1)!.message.text).toMatch(/^没有成员 “nobody”。\n用法：\/weekly-report away/);
    await bot.session.command('away owner-o2 6/3 6/9');
    expect(bot.answers.at(-1)!.message.text).toBe('已记录：Owner O2 2024-06-03 至 2024-06-09 休假，期间不提示、不提醒，状态和摘要中显示为休假。');

    clock.set('2024-06-04T15:31:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const prompted = bot.platform.messages.filter((m) => m.answerForm).map((m) => m.channel);
    expect(prompted).not.toContain('@owner-o2');
    expect(prompted).toContain('@owner-o1');

    clock.set('2024-06-06T16:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(bot.platform.messages.filter((m) => m.text.startsWith('⏰')).map((m) => m.channel)).not.toContain('@owner-o2');

    await bot.session.command('status');
    const status = bot.answers.at(-1)!.message.text;
    expect(status).toContain('🌴 休假：【O2 能力升级】（Owner O2）');
    expect(status).not.toMatch(/未提交：.*Owner O2/);

    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const header = bot.platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf)!;
    expect(header.text).toContain('休假：Owner O2');
    expect(/未提交：([^，。]*)/.exec(header.text)![1]).not.toContain('Owner O2');
  });
});

describe('a section handed to someone else for a week', () => {
  it('prompts and accepts the delegate that week only, and the report counts their answer', async () => {
    store = await openTestStore('delegate');
    const clock = new FakeClock(new Date('2024-06-03T10:00:00+08:00'));
    const bot = await consoleBot(store, clock);
    await bot.session.command('delegate o1 nobody');
    expect(bot.answers.at(-1)!.message.text).toMatch(/^没有成员 “nobody”。\n用法：\/weekly-report delegate/);
    await bot.session.command('delegate o1 owner-o2');
    expect(bot.answers.at(-1)!.message.text).toBe('已记录：2024-W23 的 【O1 业务服务】 交给 Owner O2 填写；由 Owner O2 接收提示和提醒。');

    clock.set('2024-06-04T15:31:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const o1Prompts = bot.platform.messages.filter((m) => m.answerForm?.sectionId === 'o1');
    expect(o1Prompts.map((m) => m.channel)).toEqual(['@owner-o2']);

    // The usual owner's form is not theirs this week; the delegate's is.
    bot.session.you = 'owner-o1';
    await bot.session.submitForm(o1Prompts[0]!.id, '1. 不该记下');
    bot.session.you = 'owner-o2';
    await bot.session.say('1. 代为填写的内容', o1Prompts[0]!.id);

    bot.session.you = 'lead';
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toContain('✅ 【O1 业务服务】');
    clock.set('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const file = bot.platform.messages.find((m) => m.file)!;
    expect(file.file!.content).toContain('## 【O1 业务服务】\n\n1. 代为填写的内容');
    expect(file.file!.content).not.toContain('不该记下');
    const header = bot.platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf)!;
    expect(/未提交：([^，。]*)/.exec(header.text)![1]).not.toContain('Owner O1');

    // The next week, O1 is its owner again.
    clock.set('2024-06-11T15:31:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const nextWeek = bot.platform.messages.filter((m) => m.answerForm?.sectionId === 'o1' && m.answerForm.week === '2024-W24');
    expect(nextWeek.map((m) => m.channel)).toEqual(['@owner-o1']);
  });
});

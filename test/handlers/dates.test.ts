import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../handlers/cycle/jobs.ts';
import { answerInMemory } from '../../handlers/inbound/command.ts';
import type { Team } from '../../src/report/definition.ts';
import type { Locale } from '../../src/report/locale.ts';
import type { Store } from '../../src/store/store.ts';
import { consoleBot, FakeClock, seedReply } from '../support/bot.ts';
import { discardTestStore, openTestStore } from '../support/test-store.ts';

/**
 * No date a lead or owner sees is in the past unless it says so (issue #20, case 3), and `open`
 * on a published or holiday week says so (case 11). payments-weekly opens Tuesday 15:30, reminds
 * Thursday 16:00 and publishes Friday 17:00, Asia/Shanghai; 2024-W23 is 3–9 June, 2024-W24 10–16 June.
 */
let store: Store | undefined;
afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

const MONDAY = '2024-06-03T10:00:00+08:00';
const TUESDAY_BEFORE_OPEN = '2024-06-04T15:29:00+08:00';
const TUESDAY_AFTER_OPEN = '2024-06-04T15:31:00+08:00';
const FRIDAY_EVENING = '2024-06-07T18:30:00+08:00';
const SUNDAY = '2024-06-09T21:00:00+08:00';

async function botAt(at: string, label: string, options: { locale?: Locale; holidays?: Team['definition']['holidays']; firstStart?: boolean } = {}) {
  store = await openTestStore(label);
  const clock = new FakeClock(new Date(at));
  const bot = await consoleBot(store, clock);
  if (options.locale) bot.team.definition.locale = options.locale;
  bot.team.definition.holidays = options.holidays ?? [];
  if (options.firstStart !== false) await runDueJobs(bot.ctx, bot.team, bot.holder);
  const prompts = (week?: string) => bot.platform.messages.filter((m) => m.answerForm && (!week || m.answerForm.week === week));
  const reminders = () => bot.platform.messages.filter((m) => m.text.startsWith('⏰'));
  const posts = () => bot.platform.messages.filter((m) => m.channel === '#payments-weekly');
  const lastAnswer = () => bot.answers.at(-1)!.message;
  const command = async (text: string, as = 'lead') => {
    bot.session.you = as;
    await bot.session.command(text);
    return lastAnswer();
  };
  /** What the bot answers owner-o1 (who owns one section) writing outside any thread. */
  const ownerWrites = async (text: string) => {
    bot.session.you = 'owner-o1';
    await bot.session.say(text);
    bot.session.you = 'lead';
    return bot.platform.messages.at(-1)!;
  };
  return { bot, clock, prompts, reminders, posts, lastAnswer, command, ownerWrites };
}

const ZH_MOMENT = /(\d{1,2})月(\d{1,2})日 周[一二三四五六日] (\d{2}):(\d{2})/g;
const EN_MOMENT = /(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (\d{1,2}) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) (\d{2}):(\d{2})/g;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
/** The words that, right before a moment, say that it is past. */
const SAYS_PAST = ['本应于 ', '已于 ', '发布时间 ', 'should have opened ', 'was published ', 'publish time '];

/** The moments a text names (as formatMoment writes them, in 2024, Asia/Shanghai) that are before `now` without saying so. */
function unflaggedPastMoments(text: string, now: Date): string[] {
  const found: string[] = [];
  const check = (match: RegExpMatchArray, at: Date) => {
    const before = text.slice(0, match.index);
    if (at < now && !SAYS_PAST.some((marker) => before.endsWith(marker))) found.push(match[0]);
  };
  const pad = (n: string | number) => String(n).padStart(2, '0');
  for (const m of text.matchAll(ZH_MOMENT)) check(m, new Date(`2024-${pad(m[1]!)}-${pad(m[2]!)}T${m[3]}:${m[4]}:00+08:00`));
  for (const m of text.matchAll(EN_MOMENT)) check(m, new Date(`2024-${pad(MONTHS.indexOf(m[2]!) + 1)}-${pad(m[1]!)}T${m[3]}:${m[4]}:00+08:00`));
  return found;
}

describe('every date a lead or owner sees, at the awkward times', () => {
  for (const locale of ['zh-CN', 'en'] as const) {
    for (const [when, at] of [
      ['Monday before the open', MONDAY],
      ['Tuesday just before the open', TUESDAY_BEFORE_OPEN],
      ['Tuesday just after the open, before the sweep', TUESDAY_AFTER_OPEN],
      ['Friday evening after the publish time', FRIDAY_EVENING],
      ['Sunday', SUNDAY],
    ] as const) {
      it(`is not in the past unless it says so: ${when}, ${locale}`, async () => {
        // No first start: at 15:31 the sweep has not run yet.
        const { bot, command, ownerWrites } = await botAt(at, `dates-${locale}-${at.slice(5, 13)}`, { locale, firstStart: false });
        const now = new Date(at);
        const seen: string[] = [];
        for (const sub of ['status', 'remind', 'publish', 'open']) seen.push((await command(sub)).text);
        seen.push((await ownerWrites('1. 本周的内容')).text);
        // Whatever `open` did (opened the week, or asked first): the prompts and a reminder too.
        await command('remind');
        seen.push(...bot.platform.messages.map((m) => m.text), ...bot.answers.map((a) => a.message.text));
        for (const text of seen) expect(unflaggedPastMoments(text, now), text).toEqual([]);
      });
    }
  }

  it('the checker finds a past moment that does not say so', () => {
    const now = new Date(SUNDAY);
    expect(unflaggedPastMoments('2024-W23 周报还没有开始收集，将于 6月4日 周二 15:30 自动开始。', now)).toEqual(['6月4日 周二 15:30']);
    expect(unflaggedPastMoments('due Fri 7 Jun 17:00.', now)).toEqual(['Fri 7 Jun 17:00']);
    expect(unflaggedPastMoments('本应于 6月4日 周二 15:30 开始；下次 6月11日 周二 15:30', now)).toEqual([]);
  });
});

describe('before the week opens, status, remind and publish name the next opening', () => {
  it('on Sunday: the scheduled open was skipped, the next one is Tuesday, and what a lead can do', async () => {
    const { command } = await botAt(SUNDAY, 'sunday-status');
    for (const sub of ['status', 'remind', 'publish']) {
      expect((await command(sub)).text, sub).toBe(
        '2024-W23 周报没有开始收集：到发布时间 6月7日 周五 17:00 还没有开始，所以没有自动开始，也没有给任何人发截止时间已过的提示。' +
          '下次自动开始：6月11日 周二 15:30（2024-W24）。负责人可以补开本周（没有定时截止，收齐后由负责人发布）：/weekly-report open late；或现在就开始 2024-W24：/weekly-report open next',
      );
    }
  });

  it('on Friday evening, in English: the past Tuesday is not named as to come', async () => {
    const { command } = await botAt(FRIDAY_EVENING, 'friday-status-en', { locale: 'en' });
    expect((await command('status')).text).toBe(
      '2024-W23 was not opened: it had not opened by its publish time Fri 7 Jun 17:00, so the schedule skipped it rather than prompt anyone with a deadline already past. ' +
        'Next scheduled opening: Tue 11 Jun 15:30 (2024-W24). A lead can open this week late (no set deadline; the lead publishes): /weekly-report open late; or open 2024-W24 now: /weekly-report open next',
    );
  });

  it('on Tuesday after the open time, before the schedule has run: the open is due and says so', async () => {
    const { command } = await botAt(TUESDAY_AFTER_OPEN, 'tuesday-due', { firstStart: false });
    expect((await command('status')).text).toBe(
      '2024-W23 周报本应于 6月4日 周二 15:30 开始收集，还没有开始：定时任务下次运行时会补开，截止 6月7日 周五 17:00。负责人现在就可以开始：/weekly-report open',
    );
  });

  it('names the week after a holiday as the next opening', async () => {
    const { command } = await botAt(SUNDAY, 'sunday-holiday-next', { holidays: [{ name: '端午节', week: '2024-W24' }] });
    const text = (await command('status')).text;
    expect(text).toContain('下次自动开始：6月18日 周二 15:30（2024-W25）。');
    // 2024-W24 is a holiday: it cannot be opened early.
    expect(text).not.toContain('open next');
  });
});

describe('an owner writing before the week opens is told when it does, never a moment past', () => {
  it('on Monday: when it opens', async () => {
    const { ownerWrites } = await botAt(MONDAY, 'owner-monday');
    expect((await ownerWrites('1. 内容')).text).toBe('支付中心周报 本周尚未开始收集，将于 6月4日 周二 15:30 开始，届时你会收到提示消息。这条消息没有被记录。');
  });

  it('on Tuesday after the open time, before the schedule ran: it opens shortly', async () => {
    const { ownerWrites } = await botAt(TUESDAY_AFTER_OPEN, 'owner-due', { firstStart: false });
    expect((await ownerWrites('1. 内容')).text).toBe(
      '支付中心周报 本周尚未开始收集（本应于 6月4日 周二 15:30 开始，稍后就会开始），届时你会收到提示消息。这条消息没有被记录。',
    );
  });

  it('on Sunday: this week is not collected, and the next opening', async () => {
    const { ownerWrites, bot } = await botAt(SUNDAY, 'owner-sunday');
    expect((await ownerWrites('1. 内容')).text).toBe(
      '支付中心周报 本周没有收集（没有在发布时间前开始）。下次开始：6月11日 周二 15:30（2024-W24），届时你会收到提示消息。这条消息没有被记录；如需补交本周内容，请联系负责人。',
    );
    bot.team.definition.locale = 'en';
    expect((await ownerWrites('1. more')).text).toBe(
      '支付中心周报 is not collecting this week (it was not opened before its publish time). It next opens Tue 11 Jun 15:30 (2024-W24), when you’ll get a prompt. This message was not recorded; to add something for this week, ask a lead.',
    );
  });

  it('in a holiday week: the holiday, and the next opening', async () => {
    const { ownerWrites } = await botAt(MONDAY, 'owner-holiday', { holidays: [{ name: '端午节', from: '2024-06-07', to: '2024-06-10' }] });
    expect((await ownerWrites('1. 内容')).text).toBe(
      '支付中心周报 本周没有收集（假期：端午节）。下次开始：6月11日 周二 15:30（2024-W24），届时你会收到提示消息。这条消息没有被记录；如需补交本周内容，请联系负责人。',
    );
  });
});

describe('`open` after the week’s publish time asks: this week late, or the next one', () => {
  const ASKED =
    '2024-W23 的发布时间 6月7日 周五 17:00 已过，本周还没有开始收集。要怎么做？\n' +
    '• 补开 2024-W23：现在提示每个负责人，没有定时截止，收齐后由你发布（/weekly-report open late）\n' +
    '• 现在开始 2024-W24：提示每个负责人，截止 6月14日 周五 17:00（/weekly-report open next）\n' +
    '什么都不做的话，2024-W24 将于 6月11日 周二 15:30 自动开始。请点按钮，或输入对应的命令。';

  it('asks first, with a button for each, and prompts nobody', async () => {
    const { command, prompts, bot } = await botAt(SUNDAY, 'open-asks');
    const asked = await command('open');
    expect(asked.text).toBe(ASKED);
    expect(asked.commands).toEqual([
      { label: '补开 2024-W23', command: 'open late' },
      { label: '现在开始 2024-W24', command: 'open next' },
    ]);
    expect(prompts()).toEqual([]);
    expect(await bot.ctx.store.getCycle('payments-weekly', '2024-W23')).toBeNull();
    expect(await bot.ctx.store.getCycle('payments-weekly', '2024-W24')).toBeNull();
  });

  it('asks in English too', async () => {
    const { command } = await botAt(FRIDAY_EVENING, 'open-asks-en', { locale: 'en' });
    const asked = await command('open');
    expect(asked.text).toBe(
      '2024-W23 was never opened, and its publish time Fri 7 Jun 17:00 has passed. What now?\n' +
        '• Open 2024-W23 late: prompt every owner now, with no set deadline; you publish once the answers are in (/weekly-report open late)\n' +
        '• Open 2024-W24 now: prompt every owner, due Fri 14 Jun 17:00 (/weekly-report open next)\n' +
        'If you do neither, 2024-W24 opens by itself Tue 11 Jun 15:30. Press a button, or type the command.',
    );
    expect(asked.commands).toEqual([
      { label: 'Open 2024-W23 late', command: 'open late' },
      { label: 'Open 2024-W24 now', command: 'open next' },
    ]);
  });

  it('`open late`: prompts that say there is no set deadline, reminders that repeat none, once across presses and a restart, and the lead publishes', async () => {
    const { command, prompts, reminders, posts, bot, clock } = await botAt(SUNDAY, 'open-late');
    expect((await command('open late')).text).toBe(
      '已开始 2024-W23：发出提示 13 条，已提示或已提交 0 人次。本周已过发布时间，没有定时截止：收齐后请发布（/weekly-report publish）。',
    );
    expect(prompts('2024-W23')).toHaveLength(13);
    const o1 = prompts().find((m) => m.answerForm?.sectionId === 'o1')!;
    expect(o1.text.split('\n\n')[0]).toBe('📝 支付中心周报 2024-W23：请填写 【O1 业务服务】。本周在发布时间之后才开始，没有定时截止：负责人收齐后发布。');
    for (const prompt of prompts()) expect(prompt.text).not.toMatch(/截止 \d/);

    // The button pressed again, and a restarted process's schedule: nobody is prompted twice, nothing is posted.
    expect((await command('open late')).text).toMatch(/^2024-W23 已经在收集中：发出提示 0 条/);
    const restarted = await consoleBot(store!, clock, 'replica-after-restart');
    restarted.team.definition.holidays = [];
    const outcomes = await runDueJobs(restarted.ctx, restarted.team, restarted.holder);
    expect(outcomes).toContainEqual({ job: 'publish', week: '2024-W23', status: 'skipped', reason: 'opened-late' });
    expect(restarted.platform.messages).toEqual([]);
    expect(prompts()).toHaveLength(13);
    expect(posts()).toEqual([]);

    expect((await command('remind')).text).toBe('已提醒 10 位未提交的负责人，共 13 条提醒。');
    expect(reminders().find((m) => m.threadOf === o1.id)!.text).toBe(
      '⏰ 提醒：支付中心周报 2024-W23 的 【O1 业务服务】 还没有收到。本周在发布时间之后才开始，没有定时截止：负责人收齐后发布。请在原提示消息的话题中回复。',
    );

    // An answer in the prompt's thread is stored, and the lead publishes.
    bot.session.you = 'owner-o1';
    await bot.session.say('1. 补开后的内容', o1.id);
    expect(bot.platform.messages.at(-1)!.text).toMatch(/^✅ 已收到 【O1 业务服务】/);
    expect((await command('publish confirm')).text).toBe('2024-W23 周报已发布。');
    expect(posts().filter((m) => !m.threadOf)).toHaveLength(1);
  });

  it('`open late` in English: the prompt says there is no set deadline', async () => {
    const { command, prompts } = await botAt(SUNDAY, 'open-late-en', { locale: 'en' });
    expect((await command('open late')).text).toBe(
      'Opened 2024-W23: 13 prompt(s) sent, 0 already prompted or answered. Its publish time has passed, so there is no set deadline: publish once the answers are in (/weekly-report publish).',
    );
    const o1 = prompts().find((m) => m.answerForm?.sectionId === 'o1')!;
    expect(o1.text.split('\n\n')[0]).toBe(
      '📝 支付中心周报 2024-W23: please write 【O1 业务服务】. This week opened after its publish time, so there is no set deadline: the lead publishes once the answers are in.',
    );
  });

  it('`open next`: the next week opens now with its own deadline, commands and answers go to it, and its schedule runs once', async () => {
    const { command, prompts, reminders, posts, bot, clock, ownerWrites } = await botAt(SUNDAY, 'open-next');
    expect((await command('open next')).text).toBe('已开始 2024-W24：发出提示 13 条，已提示或已提交 0 人次。');
    expect(prompts('2024-W24')).toHaveLength(13);
    const o1 = prompts().find((m) => m.answerForm?.sectionId === 'o1')!;
    expect(o1.text.split('\n\n')[0]).toBe('📝 支付中心周报 2024-W24：请填写 【O1 业务服务】，截止 6月14日 周五 17:00。');
    expect(await bot.ctx.store.getCycle('payments-weekly', '2024-W23')).toBeNull();

    // Still Sunday of 2024-W23: status, and an owner's message outside any thread, are about 2024-W24.
    expect((await command('status')).text).toMatch(/^2024-W24 已提交 0\/\d+/);
    expect((await ownerWrites('1. 下周的内容')).text).toMatch(/^✅ 已收到 【O1 业务服务】/);
    expect((await bot.ctx.store.latestSubmissions('payments-weekly', '2024-W24')).map((s) => s.sectionId)).toEqual(['o1']);
    // `open` again, or the button pressed twice: already open, nobody prompted again.
    expect((await command('open')).text).toMatch(/^2024-W24 已经在收集中：发出提示 0 条/);
    expect((await command('open next')).text).toMatch(/^2024-W24 已经在收集中：发出提示 0 条/);

    // After a restart, the schedule of 2024-W24 finds it open: nobody is prompted twice; it reminds and publishes once.
    const restarted = await consoleBot(store!, clock, 'replica-after-restart');
    restarted.team.definition.holidays = [];
    clock.set('2024-06-11T15:31:00+08:00');
    expect(await runDueJobs(restarted.ctx, restarted.team, restarted.holder)).toEqual([{ job: 'open', week: '2024-W24', status: 'done' }]);
    expect(restarted.platform.messages).toEqual([]);
    clock.set('2024-06-13T16:05:00+08:00');
    await runDueJobs(restarted.ctx, restarted.team, restarted.holder);
    expect(restarted.platform.messages.filter((m) => m.text.startsWith('⏰')).every((m) => m.text.includes('截止 6月14日 周五 17:00'))).toBe(true);
    expect(restarted.platform.messages.filter((m) => m.text.startsWith('⏰'))).toHaveLength(12);
    clock.set('2024-06-14T17:05:00+08:00');
    expect((await runDueJobs(restarted.ctx, restarted.team, restarted.holder)).at(-1)).toEqual({ job: 'publish', week: '2024-W24', status: 'done' });
    expect(reminders()).toEqual([]);
    expect(posts()).toEqual([]);
  });

  it('`open next`: a status answered at once is the next week’s, never the week before’s', async () => {
    const { command, bot, clock } = await botAt(TUESDAY_AFTER_OPEN, 'open-next-status-at-once');
    clock.set('2024-06-07T17:05:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const status = { sender: { platform: 'console', userId: 'lead' }, text: 'status', channel: '@lead' };
    await command('status');
    expect(answerInMemory(bot.ctx, status)?.text).toMatch(/^2024-W23 /);
    await command('open next');
    expect(answerInMemory(bot.ctx, status)).toBeNull();
    expect((await command('status')).text).toMatch(/^2024-W24 /);
    expect(answerInMemory(bot.ctx, status)?.text).toMatch(/^2024-W24 /);
  });

  it('`open next`: a goal review typed outside any thread is the next week’s', async () => {
    const { command, bot, clock, prompts } = await botAt(TUESDAY_AFTER_OPEN, 'open-next-goal-review');
    const nextWeekGoals = prompts('2024-W23').find((m) => m.channel === '@lead' && m.answerForm?.sectionId === 'next-week')!;
    await bot.session.say(seedReply('next-week'), nextWeekGoals.id);
    clock.set(SUNDAY);
    await command('open next');
    expect(prompts('2024-W24').find((m) => m.channel === '@lead' && m.answerForm?.sectionId === 'reflections')!.text).toContain('上周目标回顾（2024-W23');
    bot.session.you = 'lead';
    await bot.session.say('目标 1 完成');
    expect((await bot.ctx.store.listGoalReviews('payments-weekly', '2024-W24')).map((r) => r.revision)).toEqual([1]);
    expect(await bot.ctx.store.listGoalReviews('payments-weekly', '2024-W23')).toEqual([]);
  });

  it('`open next` while this week still collects is refused, and opens nothing', async () => {
    const { command, prompts, bot } = await botAt('2024-06-05T10:00:00+08:00', 'open-next-early');
    expect(prompts('2024-W23')).toHaveLength(13);
    expect((await command('open next')).text).toBe(
      '现在还不能开始下一周：2024-W23 的收集截止 6月7日 周五 17:00，在那之前只能开始本周（/weekly-report open）。',
    );
    expect(await bot.ctx.store.getCycle('payments-weekly', '2024-W24')).toBeNull();
    expect(prompts()).toHaveLength(13);
  });

  it('`open next` when the next week is a holiday is refused, naming the next opening', async () => {
    const { command, bot } = await botAt(SUNDAY, 'open-next-holiday', { holidays: [{ name: '端午节', week: '2024-W24' }] });
    const asked = await command('open');
    expect(asked.commands).toEqual([{ label: '补开 2024-W23', command: 'open late' }]);
    expect((await command('open next')).text).toBe('2024-W24 是假期（端午节），不收集周报，所以不能提前开始。下次自动开始：6月18日 周二 15:30（2024-W25）。');
    expect(await bot.ctx.store.getCycle('payments-weekly', '2024-W24')).toBeNull();
  });

  it('`open` from someone who is not a lead is refused, whatever the choice', async () => {
    const { command, prompts } = await botAt(SUNDAY, 'open-not-lead');
    expect((await command('open late', 'owner-o1')).text).toContain('只有周报负责人可以执行 open');
    expect(prompts()).toEqual([]);
  });

  it('reads only the words it knows after `open`', async () => {
    const { command, prompts } = await botAt(SUNDAY, 'open-unknown-word');
    expect((await command('open later')).text).toMatch(/^open 后面只能写 late（本周补开）或 next（现在开始下周），不能写 “later”。/);
    expect(prompts()).toEqual([]);
  });
});

describe('`open` on a published week, and on a holiday week', () => {
  it('a published week: says when it was published, what late answers do, when the next opens; prompts nobody', async () => {
    const { command, prompts, bot, clock } = await botAt(TUESDAY_AFTER_OPEN, 'open-published');
    clock.set('2024-06-07T17:05:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    const sent = bot.platform.messages.length;
    clock.set(FRIDAY_EVENING);
    const answer = await command('open');
    expect(answer.text).toBe(
      '2024-W23 周报已于 6月7日 周五 17:05 发布。之后收到的回答会作为补交更新已发布的周报，并通知负责人。2024-W24 将于 6月11日 周二 15:30 自动开始；要现在就开始，请点按钮或输入 /weekly-report open next。',
    );
    expect(answer.commands).toEqual([{ label: '现在开始 2024-W24', command: 'open next' }]);
    expect(bot.platform.messages).toHaveLength(sent);
    expect(prompts()).toHaveLength(13);

    bot.team.definition.locale = 'en';
    bot.team.definition.lateAnswers = 'notify-lead';
    expect((await command('open')).text).toBe(
      'The 2024-W23 report was published Fri 7 Jun 17:05. Answers that come now are late answers: they are saved and the leads are told; the posted report stays as it is. 2024-W24 opens by itself Tue 11 Jun 15:30; to open it now, press the button or type /weekly-report open next.',
    );
  });

  it('a holiday week: warns, names the holiday and asks first; confirmed, it runs as any week', async () => {
    const { command, prompts, reminders, posts, bot, clock } = await botAt(MONDAY, 'open-holiday', {
      holidays: [{ name: '端午节', from: '2024-06-07', to: '2024-06-10' }],
    });
    const asked = await command('open');
    expect(asked.text).toBe(
      '2024-W23 是假期（端午节），按团队定义本周不收集周报。确定要现在开始吗？开始后会提示每个负责人，之后照常提醒，截止 6月7日 周五 17:00 时发布。确认请点按钮，或输入 /weekly-report open confirm',
    );
    expect(asked.commands).toEqual([{ label: '仍然开始 2024-W23', command: 'open confirm' }]);
    expect(prompts()).toEqual([]);

    expect((await command('open confirm')).text).toMatch(/^已开始 2024-W23：发出提示 13 条/);
    expect(prompts()[0]!.text).toContain('截止 6月7日 周五 17:00');
    clock.set('2024-06-06T16:05:00+08:00');
    await runDueJobs(bot.ctx, bot.team, bot.holder);
    expect(reminders()).toHaveLength(13);
    clock.set('2024-06-07T17:05:00+08:00');
    expect((await runDueJobs(bot.ctx, bot.team, bot.holder)).at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    expect(posts().filter((m) => !m.threadOf)).toHaveLength(1);
  });

  it('a holiday week in English', async () => {
    const { command } = await botAt(MONDAY, 'open-holiday-en', { locale: 'en', holidays: [{ name: 'Dragon Boat', week: '2024-W23' }] });
    const asked = await command('open');
    expect(asked.text).toBe(
      '2024-W23 is a holiday (Dragon Boat): the team definition has no report this week. Open it anyway? Every owner is prompted now, reminded as usual, and the report is published Fri 7 Jun 17:00. Press the button, or type /weekly-report open confirm',
    );
    expect(asked.commands).toEqual([{ label: 'Open 2024-W23 anyway', command: 'open confirm' }]);
  });
});

describe('reminders never repeat a deadline that has passed', () => {
  it('a week opened on time whose deadline passed before its report went out', async () => {
    const { command, reminders, clock } = await botAt(TUESDAY_AFTER_OPEN, 'remind-overdue');
    // The Thursday reminder did not run (the bot was down); Friday 17:30, before the schedule has published.
    clock.set('2024-06-07T17:30:00+08:00');
    await command('remind');
    expect(reminders().length).toBeGreaterThan(0);
    for (const reminder of reminders()) {
      expect(reminder.text).not.toContain('6月7日');
      expect(reminder.text).toContain('截止时间已过，请尽快填写。');
    }
  });

  it('a published week: the answer updates the posted report', async () => {
    const { command, reminders, clock } = await botAt(TUESDAY_AFTER_OPEN, 'remind-published');
    clock.set('2024-06-07T18:00:00+08:00');
    await command('publish confirm');
    clock.set('2024-06-08T10:00:00+08:00');
    await command('remind');
    expect(reminders().length).toBeGreaterThan(0);
    expect(reminders()[0]!.text).toMatch(/还没有收到。本周周报已经发布，你的回答会更新已发布的周报。请在原提示消息的话题中回复。$/);
  });
});

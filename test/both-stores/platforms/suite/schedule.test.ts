import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import type { Holiday } from '../../../../src/report/definition.ts';
import { ownedByPerson } from '../../../platforms/suite/platform-harness.ts';
import { PLATFORMS, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

const TEAM = 'payments-weekly';
const WEEK = '2024-W23';
const NOT_OPEN_YET = '2024-W23 周报还没有开始收集，将于 6月4日 周二 15:30 自动开始。负责人现在就可以开始：/weekly-report open';

/** The schedule's awkward times (a first start on any day, a restart mid-week, a holiday), away and skip. */
describe.each(PLATFORMS)('the week on $name at the awkward times', (platform) => {
  let h: PlatformHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const start = async (label: string, now: string) => {
    h = await platform.start(label, { now });
    return h;
  };
  /** The prompts in each person's chat, by section, for every person of the team. */
  const promptsByPerson = async (week: PlatformHarness) =>
    Object.fromEntries(
      await Promise.all(
        Object.keys(week.team.definition.people).map(async (person) => [person, (await week.promptsOf(person)).map((p) => p.sectionId).sort()] as const),
      ),
    );
  /** The reminders in the threads of a person's prompts. */
  const remindersOf = async (week: PlatformHarness, person: string) =>
    (await week.promptsOf(person)).flatMap((p) => week.thread(p.ref)).filter((m) => m.text.startsWith('⏰'));

  it('does nothing on a first start Monday 10:00; status, remind and publish say when the week opens and how to open it now', async () => {
    const week = await start('monday', '2024-06-03T10:00:00+08:00');
    expect(await runDueJobs(week.ctx, week.team, week.holder)).toEqual([]);
    expect(week.sent()).toEqual([]);
    for (const sub of ['status', 'remind', 'publish']) {
      expect(
        (await week.command('lead', sub)).map((a) => [a.text, a.toCaller]),
        sub,
      ).toEqual([[NOT_OPEN_YET, true]]);
    }
    // Nothing but the answers to the lead.
    expect(week.sent()).toEqual([]);
    expect(await week.store.getCycle(TEAM, WEEK)).toBeNull();

    const opened = await week.command('lead', 'open');
    expect(opened.map((a) => a.text).join('\n')).toMatch(/^已开始 2024-W23：发出提示 13 条/);
    expect(await promptsByPerson(week)).toEqual(ownedByPerson(week.team));
  });

  it('opens on a first start Tuesday 15:31 and prompts each owner once per section, posting nothing to the report channel', async () => {
    const week = await start('tuesday', '2024-06-04T15:31:00+08:00');
    expect(await runDueJobs(week.ctx, week.team, week.holder)).toEqual([{ job: 'open', week: WEEK, status: 'done' }]);
    expect(await promptsByPerson(week)).toEqual(ownedByPerson(week.team));
    expect(week.sent()).toHaveLength(13);
    expect(week.channel()).toEqual([]);
    // The next sweep finds the open done: nobody is prompted again.
    week.setNow('2024-06-04T15:36:00+08:00');
    expect(await runDueJobs(week.ctx, week.team, week.holder)).toEqual([{ job: 'open', week: WEEK, status: 'done' }]);
    expect(week.sent()).toHaveLength(13);
  });

  for (const [when, at] of [
    ['Friday 18:30', '2024-06-07T18:30:00+08:00'],
    ['Saturday', '2024-06-08T11:00:00+08:00'],
    ['Sunday', '2024-06-09T21:00:00+08:00'],
  ] as const) {
    it(`neither prompts nor posts on a first start ${when}, nor on the sweep after`, async () => {
      const week = await start(`first_start_${when.split(' ')[0]!.toLowerCase()}`, at);
      const outcomes = await runDueJobs(week.ctx, week.team, week.holder);
      expect(outcomes.map((o) => `${o.job}:${o.reason}`)).toEqual(['open:window-closed', 'publish:never-opened']);
      week.setNow(new Date(new Date(at).getTime() + 5 * 60_000).toISOString());
      await runDueJobs(week.ctx, week.team, week.holder);
      expect(week.sent()).toEqual([]);
      expect(week.files()).toEqual([]);
      expect(await week.store.getCycle(TEAM, WEEK)).toBeNull();
    });
  }

  it('after a restart mid-week, the new process reminds only who is missing on Thursday and publishes on Friday, once each', async () => {
    const week = await start('restart', '2024-06-04T15:31:00+08:00');
    await runDueJobs(week.ctx, week.team, week.holder);
    expect(week.sent()).toHaveLength(13);
    // Wednesday: O1 answers their section, O2 one of their two.
    week.setNow('2024-06-05T10:00:00+08:00');
    await week.reply('owner-o1', (await week.prompt('owner-o1', 'o1')).ref, '1. 本周进展');
    await week.reply('owner-o2', (await week.prompt('owner-o2', 'o2')).ref, '1. 本周进展');

    // The bot stops; a new process starts on the same store on Thursday after the remind time.
    await week.restart('test-holder-after-restart');
    week.setNow('2024-06-06T16:05:00+08:00');
    const beforeThursday = week.sent().length;
    expect(await runDueJobs(week.ctx, week.team, week.holder)).toEqual([
      { job: 'open', week: WEEK, status: 'done' },
      { job: 'remind', week: WEEK, status: 'done' },
    ]);
    const thursday = week.sent().slice(beforeThursday);
    expect(thursday.every((m) => m.text.startsWith('⏰'))).toBe(true);
    // Each reminder is in the thread of a prompt still unanswered, one per such prompt.
    const missing = [];
    for (const [person, sections] of Object.entries(ownedByPerson(week.team))) {
      for (const sectionId of sections.filter((id) => !(person === 'owner-o1' && id === 'o1') && !(person === 'owner-o2' && id === 'o2'))) {
        missing.push(sectionId);
        expect(
          week.thread((await week.prompt(person, sectionId)).ref).filter((m) => m.text.startsWith('⏰')),
          `${person} ${sectionId}`,
        ).toHaveLength(1);
      }
    }
    expect(missing).toHaveLength(11);
    expect(thursday).toHaveLength(11);
    // The sweep after it reminds nobody again.
    week.setNow('2024-06-06T16:10:00+08:00');
    await runDueJobs(week.ctx, week.team, week.holder);
    expect(week.sent()).toHaveLength(beforeThursday + 11);

    week.setNow('2024-06-07T17:00:00+08:00');
    expect((await runDueJobs(week.ctx, week.team, week.holder)).at(-1)).toEqual({ job: 'publish', week: WEEK, status: 'done' });
    expect(week.channel()).toHaveLength(1);
    expect(week.digest().header.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 2\/12/);
    const afterPublish = { sent: week.sent().length, files: week.files().length, updates: week.updates() };
    expect(afterPublish.files).toBe(1);

    // Running the due jobs again, or starting once more, sends, updates and uploads nothing.
    week.setNow('2024-06-07T17:05:00+08:00');
    expect(await runDueJobs(week.ctx, week.team, week.holder)).toEqual([]);
    await week.restart('test-holder-second-restart');
    week.setNow('2024-06-07T17:10:00+08:00');
    expect(await runDueJobs(week.ctx, week.team, week.holder)).toEqual([]);
    expect({ sent: week.sent().length, files: week.files().length, updates: week.updates() }).toEqual(afterPublish);
    expect(week.errors()).toEqual([]);
  });

  for (const [given, holiday] of [
    ['as its week', { name: '端午节', week: WEEK }],
    ['as dates within it', { name: '端午节', from: '2024-06-07', to: '2024-06-10' }],
  ] as [string, Holiday][]) {
    it(`neither prompts nor posts in a holiday week (given ${given}), and status says why`, async () => {
      const week = await start(`holiday_${given.split(' ')[1]}`, '2024-06-04T15:31:00+08:00');
      week.team.definition.holidays = [holiday];
      await runDueJobs(week.ctx, week.team, week.holder);
      expect(week.sent()).toEqual([]);
      week.setNow('2024-06-07T17:00:00+08:00');
      await runDueJobs(week.ctx, week.team, week.holder);
      expect(week.sent()).toEqual([]);
      expect(week.files()).toEqual([]);
      const answers = await week.command('lead', 'status');
      expect(answers.map((a) => a.text)).toContain('2024-W23 是假期（端午节），本周不收集周报：不发提示、不提醒、不发布。');
    });
  }

  it('does not prompt or remind someone away, nor remind someone who skipped', async () => {
    const week = await start('away', '2024-06-03T10:00:00+08:00');
    await runDueJobs(week.ctx, week.team, week.holder);
    const recorded = await week.command('lead', 'away owner-o2 6/3 6/9');
    expect(recorded.map((a) => a.text).join('\n')).toContain('已记录：Owner O2');

    week.setNow('2024-06-04T15:31:00+08:00');
    await runDueJobs(week.ctx, week.team, week.holder);
    expect(week.dm('owner-o2')).toEqual([]);
    expect(week.dm('owner-o1')).toHaveLength(1);

    // Skipping, in either word.
    await week.reply('owner-o1', (await week.prompt('owner-o1', 'o1')).ref, '本周无');
    await week.reply('owner-o4', (await week.prompt('owner-o4', 'o4')).ref, '跳过');

    week.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(week.ctx, week.team, week.holder);
    expect(await remindersOf(week, 'owner-o1')).toEqual([]);
    expect(await remindersOf(week, 'owner-o4')).toEqual([]);
    // Away: no prompt, and no reminder anywhere in their chat.
    expect(week.dm('owner-o2')).toEqual([]);
    expect(await remindersOf(week, 'owner-o3')).toHaveLength(1);

    week.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(week.ctx, week.team, week.holder);
    expect(week.digest().header.text).toContain('休假：Owner O2');
  });
});

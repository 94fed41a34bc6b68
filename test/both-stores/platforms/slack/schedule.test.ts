import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/jobs.ts';
import { imMessageEvent } from '../../../fakes/slack-payloads.ts';
import { slackModule } from '../../../../src/platforms/slack/module.ts';
import { findPrompt, promptSection, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

const NOT_OPEN_YET = '2024-W23 周报还没有开始收集，将于 6月4日 周二 15:30 自动开始。负责人现在就可以开始：/weekly-report open';

/** The schedule's awkward times, away and skip, on Slack against the fake Web API. */
describe('the week on Slack at the awkward times', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const postsTo = (harness: SlackHarness, channel: string) => harness.fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.channel === channel);
  const sent = (harness: SlackHarness) => harness.fake.callsTo('chat.postMessage', 'ok');
  const reportChannel = (harness: SlackHarness) => slackModule.reportChannel(harness.team.definition)!;
  /** The prompts in each person's DM, by section, for every person of the team. */
  const promptsByPerson = (harness: SlackHarness) =>
    Object.fromEntries(
      Object.entries(harness.team.definition.people).map(([person, { slack }]) => [
        person,
        harness.fake.channelMessages(harness.fake.dmChannelOf(slack!)).flatMap((m) => promptSection(m) ?? []).sort(),
      ]),
    );
  const ownedByPerson = (harness: SlackHarness) => {
    const { definition } = harness.team;
    return Object.fromEntries(Object.keys(definition.people).map((person) => [person, definition.sections.filter((s) => s.owners.includes(person)).map((s) => s.id).sort()]));
  };

  it('does nothing on a first start Monday 10:00; status, remind and publish say when the week opens and how to open it now', async () => {
    h = await startSlackHarness('slack_monday', { now: '2024-06-03T10:00:00+08:00' });
    expect(await runDueJobs(h.ctx, h.team, 'test-holder')).toEqual([]);
    expect(sent(h)).toEqual([]);
    for (const sub of ['status', 'remind', 'publish']) {
      expect((await h.command(h.slackId('lead'), sub)).status).toBe(200);
      expect(h.fake.responses.at(-1)!.body, sub).toMatchObject({ response_type: 'ephemeral', text: NOT_OPEN_YET });
    }
    expect(sent(h)).toEqual([]);
    expect(await h.store.getCycle('payments-weekly', '2024-W23')).toBeNull();

    await h.command(h.slackId('lead'), 'open');
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ text: expect.stringMatching(/^已开始 2024-W23：发出提示 13 条/) });
    expect(promptsByPerson(h)).toEqual(ownedByPerson(h));
  });

  it('opens on a first start Tuesday 15:31 and prompts each owner once per section, posting nothing to the channel', async () => {
    h = await startSlackHarness('slack_tuesday', { now: '2024-06-04T15:31:00+08:00' });
    expect(await runDueJobs(h.ctx, h.team, 'test-holder')).toEqual([{ job: 'open', week: '2024-W23', status: 'done' }]);
    expect(promptsByPerson(h)).toEqual(ownedByPerson(h));
    expect(sent(h)).toHaveLength(13);
    expect(postsTo(h, reportChannel(h))).toEqual([]);
    // The next sweep finds the open done: nobody is prompted again.
    h.setNow('2024-06-04T15:36:00+08:00');
    expect(await runDueJobs(h.ctx, h.team, 'test-holder')).toEqual([{ job: 'open', week: '2024-W23', status: 'done' }]);
    expect(sent(h)).toHaveLength(13);
  });

  for (const [when, at] of [
    ['Friday 18:30', '2024-06-07T18:30:00+08:00'],
    ['Saturday', '2024-06-08T11:00:00+08:00'],
    ['Sunday', '2024-06-09T21:00:00+08:00'],
  ] as const) {
    it(`neither prompts nor posts on a first start ${when}, nor on the sweep after`, async () => {
      h = await startSlackHarness(`slack_first_start_${when.split(' ')[0]!.toLowerCase()}`, { now: at });
      const outcomes = await runDueJobs(h.ctx, h.team, 'test-holder');
      expect(outcomes.map((o) => `${o.job}:${o.reason}`)).toEqual(['open:window-closed', 'publish:never-opened']);
      h.setNow(new Date(new Date(at).getTime() + 5 * 60_000).toISOString());
      await runDueJobs(h.ctx, h.team, 'test-holder');
      expect(sent(h)).toEqual([]);
      expect(h.fake.files).toEqual([]);
      expect(await h.store.getCycle('payments-weekly', '2024-W23')).toBeNull();
    });
  }

  it('after a restart mid-week, the new process reminds only who is missing on Thursday and publishes on Friday, once each', async () => {
    h = await startSlackHarness('slack_restart', { now: '2024-06-04T15:31:00+08:00' });
    await runDueJobs(h.ctx, h.team, 'test-holder');
    expect(sent(h)).toHaveLength(13);
    // Wednesday: O1 answers their section, O2 one of their two.
    h.setNow('2024-06-05T10:00:00+08:00');
    for (const [person, sectionId] of [
      ['owner-o1', 'o1'],
      ['owner-o2', 'o2'],
    ] as const) {
      const prompt = findPrompt(h, h.slackId(person), sectionId);
      const typed = h.fake.userMessage({ channel: prompt.channel, user: h.slackId(person), text: '1. 本周进展', threadTs: prompt.ts });
      expect((await h.sendEvent(imMessageEvent(typed))).status).toBe(200);
    }

    // The bot stops; a new process starts on the same store on Thursday after the remind time.
    await h.restart('test-holder-after-restart');
    h.setNow('2024-06-06T16:05:00+08:00');
    const beforeThursday = sent(h).length;
    expect(await runDueJobs(h.ctx, h.team, 'test-holder-after-restart')).toEqual([
      { job: 'open', week: '2024-W23', status: 'done' },
      { job: 'remind', week: '2024-W23', status: 'done' },
    ]);
    const thursday = sent(h).slice(beforeThursday);
    expect(thursday.every((c) => String(c.args.text).startsWith('⏰'))).toBe(true);
    const remindedThreads = thursday.map((c) => `${c.args.channel} ${c.args.thread_ts}`).sort();
    const missing = Object.entries(ownedByPerson(h)).flatMap(([person, sections]) =>
      sections.filter((id) => !(person === 'owner-o1' && id === 'o1') && !(person === 'owner-o2' && id === 'o2')).map((id) => findPrompt(h!, h!.slackId(person), id)),
    );
    expect(missing).toHaveLength(11);
    expect(remindedThreads).toEqual(missing.map((p) => `${p.channel} ${p.ts}`).sort());
    // The sweep after it reminds nobody again.
    h.setNow('2024-06-06T16:10:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder-after-restart');
    expect(sent(h)).toHaveLength(beforeThursday + 11);

    h.setNow('2024-06-07T17:00:00+08:00');
    expect((await runDueJobs(h.ctx, h.team, 'test-holder-after-restart')).at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    const [header, ...others] = h.fake.channelMessages(reportChannel(h));
    expect(others).toEqual([]);
    expect(header!.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 2\/12/);
    const afterPublish = { posts: sent(h).length, files: h.fake.files.length, updates: h.fake.callsTo('chat.update').length };
    expect(afterPublish.files).toBe(1);

    // Running the due jobs again, or starting once more, sends, updates and uploads nothing.
    h.setNow('2024-06-07T17:05:00+08:00');
    expect(await runDueJobs(h.ctx, h.team, 'test-holder-after-restart')).toEqual([]);
    await h.restart('test-holder-second-restart');
    h.setNow('2024-06-07T17:10:00+08:00');
    expect(await runDueJobs(h.ctx, h.team, 'test-holder-second-restart')).toEqual([]);
    expect({ posts: sent(h).length, files: h.fake.files.length, updates: h.fake.callsTo('chat.update').length }).toEqual(afterPublish);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('neither prompts nor posts in a holiday week, and status says why', async () => {
    h = await startSlackHarness('slack_holiday', { now: '2024-06-04T15:31:00+08:00' });
    h.team.definition.holidays = [{ name: '端午节', week: '2024-W23' }];
    await runDueJobs(h.ctx, h.team, 'test-holder');
    h.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder');
    expect(h.fake.callsTo('chat.postMessage', 'ok')).toEqual([]);
    await h.command(h.slackId('lead'), 'status');
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ text: '2024-W23 是假期（端午节），本周不收集周报：不发提示、不提醒、不发布。' });
  });

  it('does not prompt or remind someone away, nor remind someone who skipped', async () => {
    h = await startSlackHarness('slack_away', { now: '2024-06-03T10:00:00+08:00' });
    await runDueJobs(h.ctx, h.team, 'test-holder');
    await h.command(h.slackId('lead'), 'away owner-o2 6/3 6/9');
    expect(h.fake.responses.at(-1)!.body).toMatchObject({ text: expect.stringContaining('已记录：Owner O2') });

    h.setNow('2024-06-04T15:31:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const dm = (person: string) => h!.fake.dmChannelOf(h!.slackId(person));
    expect(postsTo(h, dm('owner-o2'))).toEqual([]);
    expect(postsTo(h, dm('owner-o1'))).toHaveLength(1);

    const prompt = findPrompt(h, h.slackId('owner-o1'), 'o1');
    const skip = h.fake.userMessage({ channel: prompt.channel, user: h.slackId('owner-o1'), text: '本周无', threadTs: prompt.ts });
    await h.sendEvent(imMessageEvent(skip));

    h.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const reminded = h.fake.callsTo('chat.postMessage', 'ok').filter((c) => String(c.args.text).startsWith('⏰')).map((c) => c.args.channel);
    expect(reminded).not.toContain(dm('owner-o1'));
    expect(reminded).not.toContain(dm('owner-o2'));
    expect(reminded).toContain(dm('owner-o3'));

    h.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const [header] = postsTo(h, slackModule.reportChannel(h.team.definition)!);
    expect(String(header!.args.text)).toContain('休假：Owner O2');
  });
});

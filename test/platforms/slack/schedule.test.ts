import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/jobs.ts';
import { imMessageEvent } from '../../fakes/slack-payloads.ts';
import { slackModule } from '../../../src/platforms/slack/module.ts';
import { findPrompt, startSlackHarness, type SlackHarness } from './harness.ts';

/** The schedule's awkward times, away and skip, on Slack against the fake Web API. */
describe('the week on Slack at the awkward times', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  const postsTo = (harness: SlackHarness, channel: string) => harness.fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.channel === channel);

  it('neither prompts nor posts on a first start Friday 18:30, nor in a holiday week', async () => {
    h = await startSlackHarness('slack_friday', { now: '2024-06-07T18:30:00+08:00' });
    await runDueJobs(h.ctx, h.team, 'test-holder');
    expect(h.fake.callsTo('chat.postMessage', 'ok')).toEqual([]);
    await h.close();

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

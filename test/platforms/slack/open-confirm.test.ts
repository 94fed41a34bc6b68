import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { blockActionPayload } from '../../fakes/slack-payloads.ts';
import type { FakeMessage } from '../../fakes/slack-api.ts';
import { startSlackHarness, type SlackHarness } from './harness.ts';

/** `open` after the week's publish time asks first on Slack, with a button for each choice (issue #20, case 3). */
describe('`open` on Slack after the publish time', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });
  type Answer = {
    response_type: string;
    text: string;
    blocks: { type: string; elements?: { value?: string; action_id?: string; text?: { text: string } }[] }[];
  };
  const prompts = (harness: SlackHarness) => harness.fake.callsTo('chat.postMessage', 'ok').filter((c) => c.args.text && String(c.args.text).startsWith('📝'));
  /** Presses the button of an ephemeral answer that runs `command`, as `user`. */
  const press = async (harness: SlackHarness, user: string, answer: Answer, command: string) => {
    const button = answer.blocks.find((b) => b.type === 'actions')!.elements!.find((e) => e.value === command)!;
    const message = { ts: '1717900000.000100', channel: 'D0000000099', user: 'U0BOT', text: answer.text, blocks: answer.blocks } as unknown as FakeMessage;
    expect((await harness.interact(blockActionPayload(harness.fake, { user, message, actionId: button.action_id! }))).status).toBe(200);
    return harness.fake.responses.at(-1)!.body as Answer;
  };

  it('on Sunday: buttons to open this week late or the next one; “open late” prompts once with no set deadline, however often it is pressed', async () => {
    h = await startSlackHarness('slack_open_late', { now: '2024-06-09T21:00:00+08:00' });
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const lead = h.slackId('lead');
    expect((await h.command(lead, 'open')).status).toBe(200);
    const asked = h.fake.responses.at(-1)!.body as Answer;
    expect(asked.response_type).toBe('ephemeral');
    expect(asked.text).toMatch(/^2024-W23 的发布时间 6月7日 周五 17:00 已过，本周还没有开始收集。要怎么做？/);
    const buttons = asked.blocks.find((b) => b.type === 'actions')!.elements!;
    expect(buttons.map((b) => [b.text!.text, b.value])).toEqual([
      ['补开 2024-W23', 'open late'],
      ['现在开始 2024-W24', 'open next'],
    ]);
    expect(prompts(h)).toEqual([]);

    expect((await press(h, lead, asked, 'open late')).text).toMatch(/^已开始 2024-W23：发出提示 13 条.*没有定时截止：收齐后请发布/);
    expect(prompts(h)).toHaveLength(13);
    for (const call of prompts(h)) expect(String(call.args.text)).not.toMatch(/截止 \d/);
    // Pressed again (another trigger): nobody is prompted twice.
    expect((await press(h, lead, asked, 'open late')).text).toMatch(/^2024-W23 已经在收集中：发出提示 0 条/);
    expect(prompts(h)).toHaveLength(13);
  });

  it('“open next” opens the next week with its own deadline; a non-lead pressing it is refused', async () => {
    h = await startSlackHarness('slack_open_next', { now: '2024-06-07T18:30:00+08:00' });
    await runDueJobs(h.ctx, h.team, 'test-holder');
    await h.command(h.slackId('lead'), 'open');
    const asked = h.fake.responses.at(-1)!.body as Answer;
    expect((await press(h, h.slackId('owner-o1'), asked, 'open next')).text).toMatch(/^只有周报负责人可以执行 open/);
    expect(prompts(h)).toEqual([]);
    expect((await press(h, h.slackId('lead'), asked, 'open next')).text).toMatch(/^已开始 2024-W24：发出提示 13 条/);
    for (const call of prompts(h)) expect(String(call.args.text)).toMatch(/^📝 支付中心周报 2024-W24：请填写 .*，截止 6月14日 周五 17:00。/);
    expect(await h.store.getCycle('payments-weekly', '2024-W23')).toBeNull();
  });
});

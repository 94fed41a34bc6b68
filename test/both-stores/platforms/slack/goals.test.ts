import { afterEach, describe, expect, it } from 'vitest';
import { goalReviewStatus } from '../../../../handlers/goals.ts';
import { openWeekNow } from '../../../../handlers/prompt.ts';
import type { FakeMessage } from '../../../fakes/slack-api.ts';
import { imMessageEvent } from '../../../fakes/slack-payloads.ts';
import { seedReply, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

const TEAM = 'payments-weekly';

interface SelectBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { type: string; action_id: string; placeholder: unknown; options: { text: { text: string }; value: string }[]; initial_option?: { value: string } };
}

/** Goals on Slack, against the fake Web API: the checklist's menus and typed reviews in the prompt's thread. */
describe('goals that carry over, on Slack', () => {
  let h: SlackHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  /** The prompt for a section and week in a user's DM (its button says which). */
  function promptIn(harness: SlackHarness, person: string, sectionId: string, week: string): FakeMessage {
    const prompt = harness.fake.channelMessages(harness.fake.dmChannelOf(harness.slackId(person))).find((m) =>
      (m.blocks as { elements?: { action_id?: string; value?: string }[] }[] | undefined)?.some((b) =>
        b.elements?.some((e) => e.action_id === 'open_answer_form' && e.value === JSON.stringify({ teamId: TEAM, week, sectionId })),
      ),
    );
    if (!prompt) throw new Error(`no ${week} prompt for ${sectionId} in the DM of ${person}`);
    return prompt;
  }

  async function type(harness: SlackHarness, prompt: FakeMessage, text: string): Promise<void> {
    const blocks = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text }] }] }];
    const message = harness.fake.userMessage({ channel: prompt.channel, user: harness.slackId('lead'), text, blocks, threadTs: prompt.ts });
    expect((await harness.sendEvent(imMessageEvent(message))).status).toBe(200);
  }

  /** In 2024-W22 the lead sets the reference's five goals; 2024-W23 opens. */
  async function goalsCarriedOver(label: string): Promise<{ harness: SlackHarness; prompt: FakeMessage }> {
    const harness = await startSlackHarness(label, { now: '2024-05-28T15:34:00+08:00' });
    h = harness;
    await openWeekNow(harness.ctx, harness.team, '2024-W22');
    await type(harness, promptIn(harness, 'lead', 'next-week', '2024-W22'), await seedReply('next-week'));
    harness.setNow('2024-06-04T15:34:00+08:00');
    await openWeekNow(harness.ctx, harness.team, '2024-W23');
    return { harness, prompt: promptIn(harness, 'lead', 'reflections', '2024-W23') };
  }

  function choose(harness: SlackHarness, prompt: FakeMessage, goal: number, status: string, triggerId = harness.fake.triggerId()): Record<string, unknown> {
    const block = (prompt.blocks as SelectBlock[]).find((b) => b.block_id?.startsWith('goal:') && (JSON.parse(b.block_id.slice(5)) as { g: number }).g === goal)!;
    const option = block.accessory!.options.find((o) => o.value === status)!;
    const user = harness.slackId('lead');
    return {
      type: 'block_actions',
      user: { id: user, username: user.toLowerCase(), name: user.toLowerCase(), team_id: harness.fake.teamId },
      api_app_id: 'A0000TEST1',
      token: 'legacy-verification-token',
      container: { type: 'message', message_ts: prompt.ts, channel_id: prompt.channel, is_ephemeral: false },
      trigger_id: triggerId,
      team: { id: harness.fake.teamId, domain: 'fake' },
      enterprise: null,
      is_enterprise_install: false,
      channel: { id: prompt.channel, name: 'directmessage' },
      message: { type: 'message', user: prompt.user, bot_id: prompt.botId, text: prompt.text, ts: prompt.ts, blocks: prompt.blocks },
      state: { values: {} },
      response_url: harness.fake.responseUrl(),
      actions: [{ type: 'static_select', action_id: block.accessory!.action_id, block_id: block.block_id, selected_option: option, placeholder: block.accessory!.placeholder, action_ts: '1717486440.000100' }],
    };
  }

  const confirmations = (harness: SlackHarness, prompt: FakeMessage) =>
    harness.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === harness.fake.botUserId && m.text.startsWith('✅ 已记录目标回顾'));

  it('shows last week’s goals in the 收获与反思 prompt, each with a menu of 完成 / 进行中 / 放弃', async () => {
    const { prompt } = await goalsCarriedOver('slack_goals_menus');
    const blocks = prompt.blocks as SelectBlock[];
    const menus = blocks.filter((b) => b.accessory?.type === 'static_select');
    expect(menus.map((b) => b.text!.text)).toEqual([
      '1. 支付安全方案设计与内部评审',
      '2. 银行体系账户子户模型的改进',
      '3. 聚合支付商业计划更新',
      '4. AI影像数字化（DocAI）沟通以及下阶段计划',
      '5. 54321计划项目进度跟进',
    ]);
    expect(menus[0]!.accessory!.options.map((o) => [o.text.text, o.value])).toEqual([
      ['✅ 完成', 'done'],
      ['🔄 进行中', 'in-progress'],
      ['❌ 放弃', 'dropped'],
    ]);
    // The numbered lines are replaced by the menus, and the fallback text still has them for notifications.
    expect(blocks.filter((b) => b.type === 'section').some((b) => b.text!.text.includes('1. ⬜'))).toBe(false);
    expect(prompt.text).toContain('1. ⬜ 支付安全方案设计与内部评审');
    expect(blocks.at(-1)).toMatchObject({ type: 'actions', block_id: 'answer' });
  });

  it('stores a menu choice once, however often it is delivered, and confirms it in the prompt’s thread', async () => {
    const { harness, prompt } = await goalsCarriedOver('slack_goals_choice');
    const payload = choose(harness, prompt, 2, 'in-progress');
    expect((await harness.interact(payload)).status).toBe(200);
    expect((await harness.interact(payload)).status).toBe(200);

    const reviews = await harness.store.listGoalReviews(TEAM, '2024-W23');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ sectionId: 'next-week', goalsWeek: '2024-W22', owner: 'lead', platform: 'slack', marks: [{ goal: 2, status: 'in-progress' }], rawText: 'goal 2 in-progress' });
    expect(confirmations(harness, prompt)).toHaveLength(1);
    expect(confirmations(harness, prompt)[0]!.text).toContain('已回顾 1/5');
  });

  it('takes a review typed in the thread, keeps a note a later choice does not carry, and counts both in status', async () => {
    const { harness, prompt } = await goalsCarriedOver('slack_goals_typed');
    await type(harness, prompt, '目标 2 进行中 等待评审\n目标 3 放弃：优先级调整');
    await harness.interact(choose(harness, prompt, 2, 'done'));

    expect((await harness.store.listGoalReviews(TEAM, '2024-W23')).map((r) => r.revision)).toEqual([1, 2]);
    const last = confirmations(harness, prompt).at(-1)!;
    expect(last.text).toContain('2. ✅ 银行体系账户子户模型的改进（完成：等待评审）\n3. ❌ 聚合支付商业计划更新（放弃：优先级调整）');
    expect(await goalReviewStatus(harness.ctx, harness.team, '2024-W23')).toBe('🎯 目标回顾：2/5');
    // The review is not the section's answer.
    expect(await harness.store.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' })).toBeNull();
  });
});

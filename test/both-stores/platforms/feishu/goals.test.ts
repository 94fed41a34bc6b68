import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { openWeekNow } from '../../../../handlers/prompt.ts';
import type { FakeMessage } from '../../../fakes/feishu-open-api.ts';
import { messageReceived, newEventId } from '../../../fakes/feishu-webhook.ts';
import { seedReply } from '../../../support/bot.ts';
import { APP, cardOf, formValueOf, startFeishuHarness, textOf, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const TEAM = 'payments-weekly';

interface CardNode {
  tag: string;
  name?: string;
  text?: { content: string };
  options?: { text: { content: string }; value: string }[];
  initial_option?: string;
  behaviors?: { type: string; value: Record<string, unknown> }[];
  elements?: CardNode[];
}

/** Goals on Feishu, against the fake Open API: the card's menus (select_static) and typed reviews in the prompt's thread. */
describe('goals that carry over, on Feishu', () => {
  let h: FeishuHarness | undefined;
  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  const promptIn = (harness: FeishuHarness, person: string, sectionId: string, week: string): FakeMessage => {
    const prompt = harness.fake.chatMessages(harness.fake.p2pChatOf(harness.openId(person)).chat_id).find((m) => {
      const value = formValueOf(m);
      return value?.sectionId === sectionId && value.week === week;
    });
    if (!prompt) throw new Error(`no ${week} prompt for ${sectionId} to ${person}`);
    return prompt;
  };

  async function write(harness: FeishuHarness, prompt: FakeMessage, text: string): Promise<void> {
    const message = harness.fake.userWrites(harness.openId('lead'), { msgType: 'text', content: JSON.stringify({ text }), replyTo: prompt.message_id, inThread: true });
    expect((await harness.deliver(messageReceived(APP, message))).status).toBe(200);
  }

  /** In 2024-W22 the lead sets the reference's five goals; 2024-W23 opens. */
  async function goalsCarriedOver(label: string): Promise<{ harness: FeishuHarness; prompt: FakeMessage }> {
    const harness = await startFeishuHarness(label, { now: '2024-05-28T15:34:00+08:00' });
    h = harness;
    await openWeekNow(harness.ctx, harness.team, '2024-W22');
    await write(harness, promptIn(harness, 'lead', 'next-week', '2024-W22'), seedReply('next-week'));
    harness.setNow('2024-06-04T15:34:00+08:00');
    await openWeekNow(harness.ctx, harness.team, '2024-W23');
    return { harness, prompt: promptIn(harness, 'lead', 'reflections', '2024-W23') };
  }

  const menusOf = (prompt: FakeMessage) => (cardOf(prompt).body.elements as CardNode[]).filter((e) => e.tag === 'select_static');

  /** card.action.trigger for a choice in one of the card's menus. */
  function chosen(harness: FeishuHarness, prompt: FakeMessage, goal: number, option: string, eventId = newEventId()) {
    const menu = menusOf(prompt).find((m) => m.behaviors![0]!.value.goal === goal)!;
    return {
      schema: '2.0',
      header: { event_id: eventId, token: APP.verificationToken, create_time: String(Date.now()), event_type: 'card.action.trigger', tenant_key: 'fake_tenant', app_id: APP.appId },
      event: {
        operator: { tenant_key: 'fake_tenant', open_id: harness.openId('lead'), union_id: `on_${harness.openId('lead')}` },
        token: `c-${randomBytes(8).toString('hex')}`,
        action: { value: menu.behaviors![0]!.value, tag: 'select_static', name: menu.name, option, timezone: 'Asia/Shanghai' },
        host: 'im_message',
        context: { open_message_id: prompt.message_id, open_chat_id: prompt.chat_id },
      },
    };
  }

  const confirmations = (harness: FeishuHarness, prompt: FakeMessage) => harness.fake.threadOf(prompt.message_id).filter((m) => m.sender !== harness.openId('lead') && textOf(m).startsWith('✅ 已记录目标回顾'));

  it('shows last week’s goals in the 收获与反思 card, each with a menu of 完成 / 进行中 / 放弃', async () => {
    const { prompt } = await goalsCarriedOver('feishu_goals_menus');
    const elements = cardOf(prompt).body.elements as CardNode[];
    const menus = elements.filter((e) => e.tag === 'select_static');
    expect(menus).toHaveLength(5);
    expect(menus[0]!.options!.map((o) => [o.text.content, o.value])).toEqual([
      ['✅ 完成', 'done'],
      ['🔄 进行中', 'in-progress'],
      ['❌ 放弃', 'dropped'],
    ]);
    expect(menus[4]!.behaviors![0]!.value).toEqual({ action: 'weekly-report.goal', teamId: TEAM, week: '2024-W23', sectionId: 'next-week', goal: 5 });
    // Each menu follows its goal's text; the numbered lines of the text are not shown twice.
    const before = elements[elements.indexOf(menus[0]!) - 1]!;
    expect(before.text?.content).toBe('1. 支付安全方案设计与内部评审');
    expect(textOf(prompt)).not.toContain('1. ⬜');
    // The answer form is still there, after the checklist.
    expect(elements.at(-1)!.tag).toBe('form');
  });

  it('stores a menu choice once per event, answers with a toast and confirms in the thread', async () => {
    const { harness, prompt } = await goalsCarriedOver('feishu_goals_choice');
    const payload = chosen(harness, prompt, 3, 'dropped');
    const answer = await harness.deliver(payload);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ toast: { type: 'success' } });
    // Feishu delivers at least once.
    await harness.deliver(payload);

    const reviews = await harness.store.listGoalReviews(TEAM, '2024-W23');
    expect(reviews).toHaveLength(1);
    expect(reviews[0]).toMatchObject({ goalsWeek: '2024-W22', platform: 'feishu', owner: 'lead', marks: [{ goal: 3, status: 'dropped' }] });
    expect(confirmations(harness, prompt)).toHaveLength(1);
    expect(textOf(confirmations(harness, prompt)[0]!)).toContain('3. ❌ 聚合支付商业计划更新（放弃）');
  });

  it('takes a review typed in the card’s thread, and the next prompt’s menus start from it', async () => {
    const { harness, prompt } = await goalsCarriedOver('feishu_goals_typed');
    await write(harness, prompt, '目标 1 完成\n目标 2 进行中：等待评审');
    expect((await harness.store.listGoalReviews(TEAM, '2024-W23'))[0]!.marks).toEqual([
      { goal: 1, status: 'done', note: '' },
      { goal: 2, status: 'in-progress', note: '等待评审' },
    ]);
    expect(textOf(confirmations(harness, prompt)[0]!)).toContain('已回顾 2/5');
    expect(await harness.store.latestSubmission({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', owner: 'lead' })).toBeNull();

    // Handed to someone else this week: their card shows where each goal stands.
    await harness.store.recordDelegation({ teamId: TEAM, week: '2024-W23', sectionId: 'reflections', person: 'owner-o2', setBy: 'lead', at: new Date('2024-06-04T16:00:00+08:00') });
    await openWeekNow(harness.ctx, harness.team, '2024-W23');
    expect(menusOf(promptIn(harness, 'owner-o2', 'reflections', '2024-W23')).map((m) => m.initial_option)).toEqual(['done', 'in-progress', undefined, undefined, undefined]);
  });
});

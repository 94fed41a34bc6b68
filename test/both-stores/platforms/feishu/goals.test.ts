import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWeekNow } from '../../../../handlers/cycle/prompt.ts';
import type { FakeMessage } from '../../../fakes/feishu-open-api.ts';
import { messageReceived, newEventId } from '../../../fakes/feishu-webhook.ts';
import { seedReply } from '../../../support/bot.ts';
import { APP, cardOf, formValueOf, startFeishuHarness, textOf, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const TEAM = 'payments-weekly';

interface CardNode {
  tag: string;
  name?: string;
  behaviors?: { type: string; value: Record<string, unknown> }[];
}

/**
 * Goals on Feishu, against the fake Open API: how the checklist is drawn in a card, and the toast
 * a menu choice is answered with. Reviews by menu and by typing are
 * test/both-stores/platforms/suite/goals.test.ts, which runs on Feishu too.
 */
describe('goals that carry over, drawn in a Feishu card', () => {
  let h: FeishuHarness;
  beforeAll(async () => {
    h = await startFeishuHarness('feishu_goals_card', { now: '2024-05-28T15:34:00+08:00' });
  });
  afterAll(async () => {
    await h?.close();
  });

  const promptIn = (person: string, sectionId: string, week: string): FakeMessage => {
    const prompt = h.fake.chatMessages(h.fake.p2pChatOf(h.openId(person)).chat_id).find((m) => {
      const value = formValueOf(m);
      return value?.sectionId === sectionId && value.week === week;
    });
    if (!prompt) throw new Error(`no ${week} prompt for ${sectionId} to ${person}`);
    return prompt;
  };

  it('gives each goal’s menu the goal it marks, shows no numbered line twice, keeps the form last, and answers a choice with a toast', async () => {
    // In 2024-W22 the lead sets the reference's five goals; 2024-W23 opens.
    await openWeekNow(h.ctx, h.team, '2024-W22');
    const w22 = promptIn('lead', 'next-week', '2024-W22');
    const typed = h.fake.userWrites(h.openId('lead'), {
      msgType: 'text',
      content: JSON.stringify({ text: seedReply('next-week') }),
      replyTo: w22.message_id,
      inThread: true,
    });
    expect((await h.deliver(messageReceived(APP, typed))).status).toBe(200);
    h.setNow('2024-06-04T15:34:00+08:00');
    await openWeekNow(h.ctx, h.team, '2024-W23');

    const prompt = promptIn('lead', 'reflections', '2024-W23');
    const elements = cardOf(prompt).body.elements as CardNode[];
    const menus = elements.filter((e) => e.tag === 'select_static');
    expect(menus).toHaveLength(5);
    expect(menus[4]!.behaviors![0]!.value).toEqual({ action: 'weekly-report.goal', teamId: TEAM, week: '2024-W23', sectionId: 'next-week', goal: 5 });
    // The numbered lines of the text are not shown twice.
    expect(textOf(prompt)).not.toContain('1. ⬜');
    // The answer form is still there, after the checklist.
    expect(elements.at(-1)!.tag).toBe('form');

    // card.action.trigger for a choice in one of the card's menus.
    const menu = menus[2]!;
    const answer = await h.deliver({
      schema: '2.0',
      header: {
        event_id: newEventId(),
        token: APP.verificationToken,
        create_time: String(Date.now()),
        event_type: 'card.action.trigger',
        tenant_key: 'fake_tenant',
        app_id: APP.appId,
      },
      event: {
        operator: { tenant_key: 'fake_tenant', open_id: h.openId('lead'), union_id: `on_${h.openId('lead')}` },
        token: `c-${randomBytes(8).toString('hex')}`,
        action: { value: menu.behaviors![0]!.value, tag: 'select_static', name: menu.name, option: 'dropped', timezone: 'Asia/Shanghai' },
        host: 'im_message',
        context: { open_message_id: prompt.message_id, open_chat_id: prompt.chat_id },
      },
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ toast: { type: 'success' } });
    expect((await h.store.listGoalReviews(TEAM, '2024-W23'))[0]).toMatchObject({ platform: 'feishu', marks: [{ goal: 3, status: 'dropped' }] });
  });
});

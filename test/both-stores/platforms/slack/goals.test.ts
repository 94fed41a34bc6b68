import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWeekNow } from '../../../../handlers/cycle/prompt.ts';
import type { FakeMessage } from '../../../fakes/slack-api.ts';
import { imMessageEvent } from '../../../fakes/slack-payloads.ts';
import { seedReply, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

const TEAM = 'payments-weekly';

interface SelectBlock {
  type: string;
  block_id?: string;
  text?: { text: string };
  accessory?: { type: string };
}

/**
 * Goals on Slack, against the fake Web API: how the checklist is drawn in blocks. Reviews by menu
 * and by typing are test/both-stores/platforms/suite/goals.test.ts, which runs on Slack too.
 */
describe('goals that carry over, drawn in Slack blocks', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('slack_goals_blocks', { now: '2024-05-28T15:34:00+08:00' });
  });
  afterAll(async () => {
    await h?.close();
  });

  /** The prompt for a section and week in a user's DM (its button says which). */
  function promptIn(person: string, sectionId: string, week: string): FakeMessage {
    const prompt = h.fake
      .channelMessages(h.fake.dmChannelOf(h.slackId(person)))
      .find((m) =>
        (m.blocks as { elements?: { action_id?: string; value?: string }[] }[] | undefined)?.some((b) =>
          b.elements?.some((e) => e.action_id === 'open_answer_form' && e.value === JSON.stringify({ teamId: TEAM, week, sectionId })),
        ),
      );
    if (!prompt) throw new Error(`no ${week} prompt for ${sectionId} in the DM of ${person}`);
    return prompt;
  }

  it('replaces the checklist’s numbered lines by the menus, keeps them in the fallback text, and ends with the answer button', async () => {
    // In 2024-W22 the lead sets the reference's five goals; 2024-W23 opens.
    await openWeekNow(h.ctx, h.team, '2024-W22');
    const w22 = promptIn('lead', 'next-week', '2024-W22');
    const typed = await seedReply('next-week');
    const blocks = [{ type: 'rich_text', elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: typed }] }] }];
    const message = h.fake.userMessage({ channel: w22.channel, user: h.slackId('lead'), text: typed, blocks, threadTs: w22.ts });
    expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
    h.setNow('2024-06-04T15:34:00+08:00');
    await openWeekNow(h.ctx, h.team, '2024-W23');

    const prompt = promptIn('lead', 'reflections', '2024-W23');
    const promptBlocks = prompt.blocks as SelectBlock[];
    expect(promptBlocks.filter((b) => b.accessory?.type === 'static_select')).toHaveLength(5);
    // The numbered lines are replaced by the menus, and the fallback text still has them for notifications.
    expect(promptBlocks.filter((b) => b.type === 'section').some((b) => b.text!.text.includes('1. ⬜'))).toBe(false);
    expect(prompt.text).toContain('1. ⬜ 支付安全方案设计与内部评审');
    expect(promptBlocks.at(-1)).toMatchObject({ type: 'actions', block_id: 'answer' });
  });
});

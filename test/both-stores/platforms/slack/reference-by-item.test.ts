import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/jobs.ts';
import { slackModule } from '../../../../src/platforms/slack/module.ts';
import { imMessageEvent, richTextOf, slackTextOf } from '../../../fakes/slack-payloads.ts';
import { findPrompt, markdownOf, readExpected, seedReply, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

/**
 * Owners press Enter after each item: the reference week, every list item sent as its own Slack
 * message in the prompt's thread, still compiles to seeds/2024-W23/expected.md.
 */
describe('the reference week on Slack, one message per list item', () => {
  let h: SlackHarness;
  beforeAll(async () => {
    h = await startSlackHarness('slack_reference_by_item', { now: '2024-06-04T15:34:00+08:00' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('publishes a report equal to expected.md', async () => {
    await runDueJobs(h.ctx, h.team, 'test-holder');
    h.setNow('2024-06-05T10:00:00+08:00');

    // Lists: one message per top-level item (its sub-items with it), as the client sends typed
    // lists (text and rich_text); text and entries sections as one message. Nobody answers 收获与反思.
    const queues = await Promise.all(
      h.team.definition.sections
        .filter((s) => s.id !== 'reflections')
        .map(async (section) => {
          const user = h.slackId(section.owners[0]!);
          const typed = (await seedReply(section.id)).trimEnd();
          const messages = section.kind === 'list' ? typed.split(/\n(?=\S)/).map((item) => ({ text: slackTextOf(item), blocks: richTextOf(item) })) : [{ text: slackTextOf(typed) }];
          return { sectionId: section.id, user, prompt: findPrompt(h, user, section.id), messages };
        }),
    );
    expect(queues.find((q) => q.sectionId === 'o2')!.messages).toHaveLength(7);
    // Owners type at the same time: the sections interleave, each section's messages in order.
    for (let round = 0; queues.some((q) => round < q.messages.length); round++) {
      for (const { user, prompt, messages } of queues) {
        const typed = messages[round];
        if (!typed) continue;
        const message = h.fake.userMessage({ channel: prompt.channel, user, ...typed, threadTs: prompt.ts });
        expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
      }
    }
    // Every message was taken: one confirmation each, no refusal.
    for (const { prompt, messages } of queues) {
      const answers = h.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === h.fake.botUserId);
      expect(answers.map((m) => m.text.slice(0, 1))).toEqual(messages.map(() => '✅'));
    }

    h.setNow('2024-06-07T17:00:00+08:00');
    expect((await runDueJobs(h.ctx, h.team, 'test-holder')).at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    const channel = slackModule.reportChannel(h.team.definition)!;
    const [header] = h.fake.channelMessages(channel);
    const expected = await readExpected();
    const thread = h.fake.threadReplies(channel, header!.ts);
    expect(thread.flatMap(markdownOf).join('\n\n')).toBe(expected.trimEnd());
    const [file] = h.fake.files;
    // The compiled file ends with a newline; expected.md is stored without one.
    expect(file!.content).toBe(`${expected.replace(/\n$/, '')}\n`);
  });
});

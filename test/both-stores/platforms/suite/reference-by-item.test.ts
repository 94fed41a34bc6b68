import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { seedReply } from '../../../support/bot.ts';
import { EXPECTED_MD } from '../../../support/golden.ts';
import { PLATFORMS, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

/**
 * Owners press Enter after each item: the reference week, every list item sent as its own message
 * in the prompt's thread, still compiles to seeds/2024-W23/expected.md.
 */
describe.each(PLATFORMS)('the reference week on $name, one message per list item', (platform) => {
  let h: PlatformHarness;
  beforeAll(async () => {
    h = await platform.start('reference_by_item', { now: '2024-06-04T15:34:00+08:00' });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('publishes a report equal to expected.md', async () => {
    await runDueJobs(h.ctx, h.team, h.holder);
    h.setNow('2024-06-05T10:00:00+08:00');

    // Lists: one message per top-level item (its sub-items with it); text and entries sections as
    // one message. Nobody answers 收获与反思.
    const queues = await Promise.all(
      h.team.definition.sections
        .filter((s) => s.id !== 'reflections')
        .map(async (section) => {
          const person = section.owners[0]!;
          const typed = seedReply(section.id).trimEnd();
          return {
            sectionId: section.id,
            person,
            prompt: await h.prompt(person, section.id),
            messages: section.kind === 'list' ? typed.split(/\n(?=\S)/) : [typed],
          };
        }),
    );
    expect(queues.find((q) => q.sectionId === 'o2')!.messages).toHaveLength(7);
    // Owners type at the same time: the sections interleave, each section's messages in order.
    for (let round = 0; queues.some((q) => round < q.messages.length); round++) {
      for (const { person, prompt, messages } of queues) {
        const text = messages[round];
        if (text !== undefined) await h.reply(person, prompt.ref, text);
      }
    }
    // Every message was taken: one confirmation each, no refusal.
    for (const { prompt, messages } of queues) {
      expect(h.thread(prompt.ref).map((m) => m.text.slice(0, 1))).toEqual(messages.map(() => '✅'));
    }

    h.setNow('2024-06-07T17:00:00+08:00');
    expect((await runDueJobs(h.ctx, h.team, h.holder)).at(-1)).toEqual({ job: 'publish', week: '2024-W23', status: 'done' });
    const digest = h.digest();
    expect(digest.body).toBe(EXPECTED_MD.trimEnd());
    expect(digest.files).toHaveLength(1);
    // The compiled file ends with a newline; expected.md is stored without one.
    expect(digest.files[0]!.content).toBe(`${EXPECTED_MD.replace(/\n$/, '')}\n`);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import type { BotContext } from '../../../../src/bot/context.ts';
import type { ChatPlatform } from '../../../../src/platforms/platform.ts';
import type { Ticker } from '../../../../src/schedule/heartbeat.ts';
import { Scheduler } from '../../../../src/schedule/scheduler.ts';
import { readdirSync } from 'node:fs';
import { seedReply } from '../../../support/bot.ts';
import { SEEDS_DIR } from '../../../support/golden.ts';
import { ownedByPerson, type Prompt } from '../../../platforms/suite/platform-harness.ts';
import { platformsWith, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

const WEEK = '2024-W23';
const OPEN = new Date('2024-06-04T15:30:00+08:00');
const at = (ms: number) => new Date(OPEN.getTime() + ms).toISOString();

/** The sections the reference week has an owner's reply for (seeds/2024-W23/<section>.md). */
const SEEDED_SECTIONS = new Set(readdirSync(SEEDS_DIR).flatMap((f) => (f.endsWith('.md') && f !== 'expected.md' ? [f.slice(0, -3)] : [])));
/** A heartbeat that never beats by itself: a killed process's heartbeat stops; the restarted one is stepped by hand. */
const stillTicker: Ticker = () => ({ stop: () => {} });

/**
 * The platform of a process killed mid fan-out: the first `delivered` sends go through, the next
 * `deliveredUnrecorded` reach the platform but the process dies before it hears back (so the
 * prompt stays reserved, unrecorded), and every later send never happens.
 */
function killedAfter(platform: ChatPlatform, delivered: number, deliveredUnrecorded: number): ChatPlatform {
  let sends = 0;
  const hang = new Promise<never>(() => {});
  return new Proxy(platform, {
    get(target, prop, receiver) {
      if (prop !== 'sendDirect') return Reflect.get(target, prop, receiver) as unknown;
      return async (...args: Parameters<ChatPlatform['sendDirect']>) => {
        sends += 1;
        if (sends <= delivered) return target.sendDirect(...args);
        if (sends <= delivered + deliveredUnrecorded) await target.sendDirect(...args);
        return hang;
      };
    },
  });
}

/**
 * kill -9 mid fan-out, then a restart (issue #14), on the platforms that look for a send whose
 * outcome is unknown before sending it again (the console and Memo send it again, visibly).
 */
describe.each(platformsWith('findSentDirect'))('kill -9 mid fan-out on $name, then a restart', (platform) => {
  let h: PlatformHarness;
  beforeEach(async () => {
    // Message times at the test's clock, as a platform's follow real time.
    h = await platform.start('crash_recovery', { now: OPEN.toISOString(), messagesAtTestClock: true });
  });
  afterEach(async () => {
    await h?.close();
  });

  const prompts = async (): Promise<Prompt[]> => (await Promise.all(Object.keys(h.team.definition.people).map((person) => h.promptsOf(person)))).flat();

  it('finishes within two minutes of the restart; every owner has exactly one prompt, which their thread replies and reminders use', async () => {
    const { definition } = h.team;
    const crashedCtx: BotContext = { ...h.ctx, platforms: { [h.name]: killedAfter(h.ctx.platforms[h.name]!, 5, 2) } };
    // The process dies in its seventh send: its run never finishes and never gives its lease back.
    void runDueJobs(crashedCtx, h.team, 'killed-process', { ticker: stillTicker });
    await vi.waitFor(async () => expect(await prompts()).toHaveLength(7), { timeout: 20_000 });
    // The five sends that went through are recorded as their answers come back (a store write
    // each, which can trail the last message): two of the seven stay unrecorded for good.
    let deliveredUnrecorded: Prompt[] = [];
    await vi.waitFor(
      async () => {
        deliveredUnrecorded = [];
        for (const prompt of await prompts()) {
          if (!(await h.store.findPromptByMessage(h.name, prompt.ref))) deliveredUnrecorded.push(prompt);
        }
        expect(deliveredUnrecorded).toHaveLength(2);
      },
      { timeout: 20_000 },
    );
    expect((await h.store.listPrompts(definition.id, WEEK)).filter((p) => p.state === 'sending').length).toBeGreaterThanOrEqual(2);

    // Restarted 30 s later: start-up runs what is due (the crashed run's lease still holds), then a sweep a minute later.
    const restartedAt = OPEN.getTime() + 30_000;
    h.setNow(at(30_000));
    await h.restart('restarted-process');
    // The restarted process's platform, counting its look-ups of sends whose outcome is unknown.
    const restarted = h.ctx.platforms[h.name]!;
    const lookedUp: string[] = [];
    const counting: ChatPlatform = new Proxy(restarted, {
      get(target, prop, receiver) {
        if (prop !== 'findSentDirect') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<NonNullable<ChatPlatform['findSentDirect']>>) => {
          lookedUp.push(args[1].idempotencyKey);
          return target.findSentDirect!(...args);
        };
      },
    });
    const restartedCtx: BotContext = { ...h.ctx, platforms: { [h.name]: counting } };
    const scheduler = new Scheduler([h.team], (team) => runDueJobs(restartedCtx, team, 'restarted-process', { ticker: stillTicker }), h.ctx.logger);
    await scheduler.start();
    expect(await h.store.isJobRunDone({ teamId: definition.id, week: WEEK, job: 'open' })).toBe(false);
    h.setNow(at(90_000));
    await scheduler.runDue();
    await scheduler.stop();
    expect(await h.store.isJobRunDone({ teamId: definition.id, week: WEEK, job: 'open' })).toBe(true);
    expect(h.ctx.clock.now().getTime() - restartedAt).toBeLessThanOrEqual(2 * 60_000);
    // It looked for the prompts it could not know were sent before sending them again.
    for (const prompt of deliveredUnrecorded)
      expect(
        lookedUp.some((key) => key.includes(`:${prompt.sectionId}:`)),
        prompt.sectionId,
      ).toBe(true);

    // Exactly one prompt per section an owner owns, in their chat, each recorded as sent.
    for (const [person, owned] of Object.entries(ownedByPerson(h.team))) {
      expect((await h.promptsOf(person)).map((p) => p.sectionId).sort(), person).toEqual(owned);
    }
    const recorded = await h.store.listPrompts(definition.id, WEEK);
    expect(recorded.map((p) => p.state)).toEqual(recorded.map(() => 'sent'));
    expect(new Set(recorded.map((p) => p.messageId)).size).toBe(13);
    // The two delivered before the crash were found, not sent again.
    for (const prompt of deliveredUnrecorded)
      expect(await h.store.findPromptByMessage(h.name, prompt.ref)).toMatchObject({ sectionId: prompt.sectionId, state: 'sent' });

    // A thread reply to a prompt delivered before the crash is matched to it and stored.
    const [answeredPrompt, remindedPrompt] = deliveredUnrecorded as [Prompt, Prompt];
    const owner = (await h.store.findPromptByMessage(h.name, answeredPrompt.ref))!.owner;
    h.setNow('2024-06-05T10:00:00+08:00');
    // Prompts go out several at once, so which two were cut short varies: answer as that section's owner
    // would (the reference week has no text for 收获与反思: its owner says there is nothing this week).
    const answer = SEEDED_SECTIONS.has(answeredPrompt.sectionId) ? seedReply(answeredPrompt.sectionId) : '本周无';
    await h.reply(owner, answeredPrompt.ref, answer);
    const stored = await h.store.latestSubmission({ teamId: definition.id, week: WEEK, sectionId: answeredPrompt.sectionId, owner });
    expect(stored?.rawText).toBe(answer);

    // Thursday's reminders include the owner whose prompt was found, in that prompt's thread.
    h.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'restarted-process', { ticker: stillTicker });
    const reminders = (prompt: Prompt) => h.thread(prompt.ref).filter((m) => m.text.startsWith('⏰'));
    // Unless the two cut short were the co-owned 【其他】's: then the answer covers the other owner too.
    expect(reminders(remindedPrompt)).toHaveLength(remindedPrompt.sectionId === answeredPrompt.sectionId ? 0 : 1);
    expect(reminders(answeredPrompt)).toHaveLength(0);
  });
});

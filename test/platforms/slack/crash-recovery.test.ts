import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDueJobs } from '../../../handlers/jobs.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import type { ChatPlatform } from '../../../src/platforms/platform.ts';
import type { Ticker } from '../../../src/schedule/heartbeat.ts';
import { Scheduler } from '../../../src/schedule/scheduler.ts';
import type { FakeMessage } from '../../fakes/slack-api.ts';
import { imMessageEvent } from '../../fakes/slack-payloads.ts';
import { promptSection, startSlackHarness, type SlackHarness } from './harness.ts';
import { seedReply } from '../../support/bot.ts';

const WEEK = '2024-W23';
const OPEN = new Date('2024-06-04T15:30:00+08:00');
const at = (ms: number) => new Date(OPEN.getTime() + ms).toISOString();

/** A heartbeat that never beats by itself: a killed process's heartbeat stops; the restarted one is stepped by hand. */
const stillTicker: Ticker = () => ({ stop: () => {} });

/**
 * The platform of a process killed mid fan-out: the first `delivered` sends go through, the next
 * `deliveredUnrecorded` reach Slack but the process dies before it hears back (so the prompt stays
 * reserved, unrecorded), and every later send never happens.
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

describe('kill -9 mid fan-out, then a restart (issue #14)', () => {
  let h: SlackHarness;
  beforeEach(async () => {
    h = await startSlackHarness('slack_crash_recovery', { now: OPEN.toISOString() });
    // Message timestamps at the test's clock, as Slack's follow real time.
    h.fake.useClock(() => h.ctx.clock.now().getTime());
  });
  afterEach(async () => {
    await h?.close();
  });

  const prompts = (): FakeMessage[] => h.fake.messages.filter((m) => !m.threadTs && m.user === h.fake.botUserId && promptSection(m) !== undefined);

  it('finishes within two minutes of the restart; every owner has exactly one prompt, which their thread replies and reminders use', async () => {
    const { definition } = h.team;
    const crashedCtx: BotContext = { ...h.ctx, platforms: { slack: killedAfter(h.ctx.platforms.slack!, 5, 2) } };
    // The process dies in its seventh send: its run never finishes and never gives its lease back.
    void runDueJobs(crashedCtx, h.team, 'killed-process', { ticker: stillTicker });
    await vi.waitFor(() => expect(prompts()).toHaveLength(7), { timeout: 20_000 });
    // The five sends that went through are recorded as their answers come back (a store write
    // each, which can trail the last message): two of the seven stay unrecorded for good.
    let deliveredUnrecorded: FakeMessage[] = [];
    await vi.waitFor(
      async () => {
        deliveredUnrecorded = [];
        for (const message of prompts()) {
          if (!(await h.store.findPromptByMessage('slack', message.ts))) deliveredUnrecorded.push(message);
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
    const scheduler = new Scheduler([h.team], (team) => runDueJobs(h.ctx, team, 'restarted-process', { ticker: stillTicker }), h.ctx.logger);
    await scheduler.start();
    expect(await h.store.isJobRunDone({ teamId: definition.id, week: WEEK, job: 'open' })).toBe(false);
    h.setNow(at(90_000));
    await scheduler.runDue();
    await scheduler.stop();
    expect(await h.store.isJobRunDone({ teamId: definition.id, week: WEEK, job: 'open' })).toBe(true);
    expect(h.ctx.clock.now().getTime() - restartedAt).toBeLessThanOrEqual(2 * 60_000);

    // Exactly one prompt per section an owner owns, in their DM, each recorded as sent.
    for (const [person, { slack }] of Object.entries(definition.people)) {
      const owned = definition.sections.filter((s) => s.owners.includes(person)).map((s) => s.id).sort();
      const inDm = h.fake.channelMessages(h.fake.dmChannelOf(slack!)).map(promptSection).filter((s) => s !== undefined).sort();
      expect(inDm, person).toEqual(owned);
    }
    const recorded = await h.store.listPrompts(definition.id, WEEK);
    expect(recorded.map((p) => p.state)).toEqual(recorded.map(() => 'sent'));
    expect(new Set(recorded.map((p) => p.messageId)).size).toBe(13);
    // The two delivered before the crash were found, not sent again.
    for (const message of deliveredUnrecorded) expect(await h.store.findPromptByMessage('slack', message.ts)).toMatchObject({ sectionId: promptSection(message), state: 'sent' });

    // A thread reply to a prompt delivered before the crash is matched to it and stored.
    const [answeredPrompt, remindedPrompt] = deliveredUnrecorded as [FakeMessage, FakeMessage];
    const owner = (await h.store.findPromptByMessage('slack', answeredPrompt.ts))!.owner;
    h.setNow('2024-06-05T10:00:00+08:00');
    // Prompts go out several at once, so which two were cut short varies: answer as that section's owner would.
    const answer = seedReply(promptSection(answeredPrompt)!);
    const reply = h.fake.userMessage({ channel: answeredPrompt.channel, user: definition.people[owner]!.slack!, text: answer, threadTs: answeredPrompt.ts });
    expect((await h.sendEvent(imMessageEvent(reply))).status).toBe(200);
    const stored = await h.store.latestSubmission({ teamId: definition.id, week: WEEK, sectionId: promptSection(answeredPrompt)!, owner });
    expect(stored?.rawText).toBe(answer);

    // Thursday's reminders include the owner whose prompt was found, in that prompt's thread.
    h.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'restarted-process', { ticker: stillTicker });
    const reminders = (m: FakeMessage) => h.fake.threadReplies(m.channel, m.ts).filter((r) => r.user === h.fake.botUserId && r.text.startsWith('⏰'));
    expect(reminders(remindedPrompt)).toHaveLength(1);
    expect(reminders(answeredPrompt)).toHaveLength(0);
    expect(h.fake.callsTo('conversations.history', 'ok').length).toBeGreaterThan(0);
  });
});

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runDueJobs } from '../../../handlers/jobs.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import type { ChatPlatform } from '../../../src/platforms/platform.ts';
import type { Ticker } from '../../../src/schedule/heartbeat.ts';
import { Scheduler } from '../../../src/schedule/scheduler.ts';
import type { FakeMessage } from '../../fakes/feishu-open-api.ts';
import { messageReceived } from '../../fakes/feishu-webhook.ts';
import { APP, formValueOf, startFeishuHarness, textOf, type FeishuHarness } from './harness.ts';
import { seedReply } from '../../support/bot.ts';

const WEEK = '2024-W23';
const OPEN = new Date('2024-06-04T15:30:00+08:00');
const at = (ms: number) => new Date(OPEN.getTime() + ms).toISOString();

/** A heartbeat that never beats by itself: a killed process's heartbeat stops; the restarted one is stepped by hand. */
const stillTicker: Ticker = () => ({ stop: () => {} });

/** As in the Slack test: `delivered` sends go through, `deliveredUnrecorded` reach Feishu but the process dies before it hears back, the rest never happen. */
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

describe('kill -9 mid fan-out on Feishu, then a restart (issue #14)', () => {
  let h: FeishuHarness;
  beforeEach(async () => {
    h = await startFeishuHarness('feishu_crash_recovery', { now: OPEN.toISOString() });
  });
  afterEach(async () => {
    await h?.close();
  });

  const sectionOf = (m: FakeMessage) => formValueOf(m)?.sectionId;
  const prompts = (): FakeMessage[] => [...h.fake.messages.values()].filter((m) => m.sender === 'bot' && !m.root_id && sectionOf(m) !== undefined);

  it('finishes within two minutes of the restart; every owner has exactly one prompt, which their thread replies and reminders use', async () => {
    const { definition } = h.team;
    const crashedCtx: BotContext = { ...h.ctx, platforms: { feishu: killedAfter(h.ctx.platforms.feishu!, 5, 2) } };
    void runDueJobs(crashedCtx, h.team, 'killed-process', { ticker: stillTicker });
    await vi.waitFor(() => expect(prompts()).toHaveLength(7), { timeout: 20_000 });
    // As in the Slack test: the five sends that went through are recorded as their answers come
    // back (a store write each, which can trail the last message); two stay unrecorded for good.
    let deliveredUnrecorded: FakeMessage[] = [];
    await vi.waitFor(
      async () => {
        deliveredUnrecorded = [];
        for (const message of prompts()) {
          if (!(await h.store.findPromptByMessage('feishu', message.message_id))) deliveredUnrecorded.push(message);
        }
        expect(deliveredUnrecorded).toHaveLength(2);
      },
      { timeout: 20_000 },
    );

    h.setNow(at(30_000));
    await h.restart('restarted-process');
    const scheduler = new Scheduler([h.team], (team) => runDueJobs(h.ctx, team, 'restarted-process', { ticker: stillTicker }), h.ctx.logger);
    await scheduler.start();
    h.setNow(at(90_000));
    await scheduler.runDue();
    await scheduler.stop();
    expect(await h.store.isJobRunDone({ teamId: definition.id, week: WEEK, job: 'open' })).toBe(true);

    for (const [person, { feishu }] of Object.entries(definition.people)) {
      const owned = definition.sections.filter((s) => s.owners.includes(person)).map((s) => s.id).sort();
      const inChat = h.fake.chatMessages(h.fake.p2pChatOf(feishu!).chat_id).map(sectionOf).filter((s) => s !== undefined).sort();
      expect(inChat, person).toEqual(owned);
    }
    for (const message of deliveredUnrecorded) {
      expect(await h.store.findPromptByMessage('feishu', message.message_id)).toMatchObject({ sectionId: sectionOf(message), state: 'sent' });
    }

    const [answeredPrompt, remindedPrompt] = deliveredUnrecorded as [FakeMessage, FakeMessage];
    const owner = (await h.store.findPromptByMessage('feishu', answeredPrompt.message_id))!.owner;
    h.setNow('2024-06-05T10:00:00+08:00');
    // Prompts go out several at once, so which two were cut short varies: answer as that section's owner would.
    const answer = seedReply(sectionOf(answeredPrompt)!);
    const reply = h.fake.userWrites(definition.people[owner]!.feishu!, { msgType: 'text', content: JSON.stringify({ text: answer }), replyTo: answeredPrompt.message_id });
    expect((await h.deliver(messageReceived(APP, reply))).status).toBe(200);
    const stored = await h.store.latestSubmission({ teamId: definition.id, week: WEEK, sectionId: sectionOf(answeredPrompt)!, owner });
    expect(stored?.rawText).toBe(answer);

    h.setNow('2024-06-06T16:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'restarted-process', { ticker: stillTicker });
    const reminders = (m: FakeMessage) => h.fake.threadOf(m.message_id).filter((r) => r.sender === 'bot' && textOf(r).startsWith('⏰'));
    expect(reminders(remindedPrompt)).toHaveLength(1);
    expect(reminders(answeredPrompt)).toHaveLength(0);
  });
});

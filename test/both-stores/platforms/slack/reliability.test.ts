import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWeek, promptOwners } from '../../../../handlers/cycle/prompt.ts';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import type { FakeMessage } from '../../../fakes/slack-api.ts';
import { promptSection, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

describe('prompting through Slack’s rate limits and errors', () => {
  let h: SlackHarness;

  beforeEach(async () => {
    h = await startSlackHarness('slack_reliability');
  });
  afterEach(async () => {
    await h?.close();
  });

  /** Successful chat.postMessage calls per DM channel, and the sections each DM was prompted for. */
  function promptsByChannel(): Map<string, string[]> {
    const byChannel = new Map<string, string[]>();
    for (const call of h.fake.callsTo('chat.postMessage', 'ok')) {
      const channel = String(call.args.channel);
      const section = promptSection({ blocks: call.args.blocks as unknown[] } as FakeMessage) ?? '(no button)';
      byChannel.set(channel, [...(byChannel.get(channel) ?? []), section]);
    }
    return byChannel;
  }

  function expectEveryOwnerPromptedOnce(): void {
    const { definition } = h.team;
    const byChannel = promptsByChannel();
    for (const [person, { slack }] of Object.entries(definition.people)) {
      const owned = definition.sections.filter((s) => s.owners.includes(person)).map((s) => s.id);
      expect((byChannel.get(h.fake.dmChannelOf(slack!)) ?? []).sort(), person).toEqual(owned.sort());
    }
  }

  it('waits out a 429 storm (Retry-After) and prompts every owner exactly once', async () => {
    h.fake.rateLimit('chat.postMessage', { times: 2, retryAfter: 1 });
    h.fake.rateLimit('conversations.open', { times: 1, retryAfter: 1 });
    await openWeek(h.ctx, h.team, '2024-W23');

    const result = await promptOwners(h.ctx, h.team, '2024-W23');

    expect(result).toEqual({ sent: 13, skipped: 0, failed: 0, unreachable: 0, away: 0 });
    expect(h.fake.callsTo('chat.postMessage', 'rate_limited')).toHaveLength(2);
    expect(h.fake.callsTo('conversations.open', 'rate_limited')).toHaveLength(1);
    expectEveryOwnerPromptedOnce();
    // Each refused message was sent again no sooner than its Retry-After.
    const calls = h.fake.callsTo('chat.postMessage');
    for (const [i, refused] of calls.entries()) {
      if (refused.outcome !== 'rate_limited') continue;
      const retry = calls.slice(i + 1).find((c) => c.args.channel === refused.args.channel && c.args.text === refused.args.text)!;
      expect(retry.at - refused.at).toBeGreaterThanOrEqual(1000 - 50);
    }
  });

  it('keeps prompting the others when Slack refuses one owner, logs the owner and section, and retries on the next run', async () => {
    const safety = h.slackId('owner-safety');
    h.fake.failNext('conversations.open', 'user_disabled', { when: (args) => args.users === safety });

    await runDueJobs(h.ctx, h.team, 'test-holder');

    const failures = h.logs.filter((l) => l.msg.startsWith('prompt failed'));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatchObject({ owner: 'owner-safety', section: 'payment-safety', platform: 'slack' });
    expect(JSON.stringify(failures[0]!.err)).toContain('user_disabled');
    expect(h.fake.callsTo('chat.postMessage', 'ok')).toHaveLength(12);
    expect(h.fake.channelMessages(h.fake.dmChannelOf(safety))).toEqual([]);

    // The open job was left unfinished: a sweep after its lease (10 min) sends the one that failed, and only it.
    h.setNow('2024-06-04T15:45:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder');
    expect(h.fake.callsTo('chat.postMessage', 'ok')).toHaveLength(13);
    expectEveryOwnerPromptedOnce();
  });

  it('keeps to a per-second limit on chat.postMessage', async () => {
    h.fake.rateLimitPerSecond('chat.postMessage', { limit: 3, retryAfter: 1 });
    await openWeek(h.ctx, h.team, '2024-W23');

    expect(await promptOwners(h.ctx, h.team, '2024-W23')).toEqual({ sent: 13, skipped: 0, failed: 0, unreachable: 0, away: 0 });
    expect(h.fake.callsTo('chat.postMessage', 'rate_limited').length).toBeGreaterThan(0);
    expectEveryOwnerPromptedOnce();
  });
});

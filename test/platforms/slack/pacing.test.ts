import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChannelPacer, PacedWebClient, WorkspacePacer, workspacePacer } from '../../../src/platforms/slack/pacing.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { ManualClock, VirtualClock } from '../../support/manual-clock.ts';

describe('ChannelPacer', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('spaces messages to one channel a second apart and lets other channels through at once', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'performance'] });
    const pacer = new ChannelPacer(1_000);
    const released: string[] = [];
    const send = (channel: string, label: string) => pacer.slot(channel).then(() => released.push(label));
    const all = Promise.all([send('D1', 'D1 first'), send('D1', 'D1 second'), send('D2', 'D2 first'), send('D1', 'D1 third')]);

    await vi.advanceTimersByTimeAsync(0);
    expect(released).toEqual(['D1 first', 'D2 first']);
    await vi.advanceTimersByTimeAsync(999);
    expect(released).toEqual(['D1 first', 'D2 first']);
    await vi.advanceTimersByTimeAsync(1);
    expect(released).toEqual(['D1 first', 'D2 first', 'D1 second']);
    await vi.advanceTimersByTimeAsync(1_000);
    await all;
    expect(released).toEqual(['D1 first', 'D2 first', 'D1 second', 'D1 third']);
  });
});

describe('WorkspacePacer', () => {
  /** Asks for `count` slots of `method` at once; records when each is let through. */
  function queue(pacer: WorkspacePacer, clock: ManualClock, count: number, method = 'chat.postMessage', channel?: (i: number) => string) {
    const released: number[] = [];
    const tickets = Array.from({ length: count }, (_, i) =>
      pacer.slot(method, channel?.(i)).then((ticket) => {
        released.push(clock.now());
        return ticket;
      }),
    );
    return { released, tickets };
  }
  const within = (times: number[], from: number, to: number) => times.filter((t) => t >= from && t < to).length;

  it('starts chat.postMessage at the assumed rate and doubles it each second callers wait and nothing is refused', async () => {
    const clock = new ManualClock();
    const pacer = new WorkspacePacer({ clock, initialPostsPerSecond: 5 });
    const { released } = queue(pacer, clock, 60, 'chat.postMessage', (i) => `D${i}`);
    await clock.advance(3_000);
    expect(within(released, 0, 1_000)).toBe(5);
    expect(within(released, 1_000, 2_000)).toBe(10);
    expect(within(released, 2_000, 3_000)).toBe(20);
    expect(pacer.perSecond('chat.postMessage')).toBe(40);
  });

  it('on a 429 holds the method for Retry-After, then paces a little under what Slack accepted the second before', async () => {
    const clock = new ManualClock();
    const changes: string[] = [];
    const pacer = new WorkspacePacer({ clock, initialPostsPerSecond: 20, onRateChange: (m, r, why) => changes.push(`${m} ${r.toFixed(2)} ${why}`) });
    const { released, tickets } = queue(pacer, clock, 100, 'chat.postMessage', (i) => `D${i}`);
    await clock.advance(999);
    expect(released).toHaveLength(20);
    // Slack lets 19 a second through: it accepts 19 and refuses the 20th.
    for (const ticket of tickets.slice(0, 19)) pacer.accepted(await ticket);
    pacer.rateLimited(await tickets[19]!, 1_000);
    // Measured once the pause is over, when the calls in flight at the 429 have their answers.
    expect(pacer.perSecond('chat.postMessage')).toBe(20);
    await clock.advance(999);
    expect(released).toHaveLength(20);
    await clock.advance(1);
    expect(pacer.perSecond('chat.postMessage')).toBeCloseTo(19 * 0.95, 5);
    expect(changes).toEqual(['chat.postMessage 18.05 rate-limited']);

    // Another call of the same burst gets its 429 late: it is waited out, and says nothing new.
    pacer.rateLimited(await tickets[19]!, 1_000);
    await clock.advance(2_000);
    expect(changes).toHaveLength(1);
    expect(within(released, 2_999, 3_999)).toBe(Math.ceil(19 * 0.95));
  });

  it('after a 429 has shown the limit, tries 5% more only after a quiet probe period', async () => {
    const clock = new ManualClock();
    const pacer = new WorkspacePacer({ clock, initialPostsPerSecond: 20, probeAfterMs: 30_000 });
    const { tickets } = queue(pacer, clock, 2_000, 'chat.postMessage', (i) => `D${i}`);
    await clock.advance(999);
    for (const ticket of tickets.slice(0, 19)) pacer.accepted(await ticket);
    pacer.rateLimited(await tickets[19]!, 1_000);
    await clock.advance(1_000);
    const learned = pacer.perSecond('chat.postMessage');
    expect(learned).toBeCloseTo(19 * 0.95, 5);
    await clock.advance(29_000);
    expect(pacer.perSecond('chat.postMessage')).toBe(learned);
    await clock.advance(2_000);
    expect(pacer.perSecond('chat.postMessage')).toBeCloseTo(learned * 1.05, 5);
  });

  it('keeps only Retry-After from a 429 that too few accepted calls preceded (a storm on the first calls)', async () => {
    const clock = new ManualClock();
    const pacer = new WorkspacePacer({ clock });
    const { tickets } = queue(pacer, clock, 4, 'conversations.open');
    await clock.advance(0);
    pacer.rateLimited(await tickets[0]!, 1_000);
    const next = queue(pacer, clock, 1, 'conversations.open');
    await clock.advance(999);
    expect(next.released).toEqual([]);
    await clock.advance(1);
    expect(next.released).toEqual([1_000]);
    expect(pacer.perSecond('conversations.open')).toBe(Number.POSITIVE_INFINITY);
  });

  it('leaves other methods unpaced until a 429 with enough accepted calls before it shows their rate', async () => {
    const clock = new ManualClock();
    const pacer = new WorkspacePacer({ clock });
    const first = queue(pacer, clock, 30, 'conversations.open');
    await clock.advance(0);
    expect(first.released).toHaveLength(30);
    expect(pacer.perSecond('conversations.open')).toBe(Number.POSITIVE_INFINITY);

    for (const ticket of first.tickets.slice(0, 29)) pacer.accepted(await ticket);
    pacer.rateLimited(await first.tickets[29]!, 2_000);
    const second = queue(pacer, clock, 2, 'conversations.open');
    await clock.advance(1_999);
    expect(second.released).toEqual([]);
    await clock.advance(1);
    // 30 went out in that second and the 30th was refused: the 29 accepted are the limit.
    expect(pacer.perSecond('conversations.open')).toBeCloseTo(29 * 0.95, 5);
    expect(second.released[0]).toBe(2_000);
  });

  it('puts a 429 for a message right after another to the same channel down to the channel: that channel waits, the others do not', async () => {
    const clock = new ManualClock();
    const pacer = new WorkspacePacer({ clock, initialPostsPerSecond: 20 });
    const first = queue(pacer, clock, 2, 'chat.postMessage', () => 'C1');
    await clock.advance(1_000);
    expect(first.released).toEqual([0, 1_000]);
    pacer.accepted(await first.tickets[0]!);
    pacer.rateLimited(await first.tickets[1]!, 3_000, 'C1');
    const sameChannel = queue(pacer, clock, 1, 'chat.postMessage', () => 'C1');
    const otherChannel = queue(pacer, clock, 1, 'chat.postMessage', () => 'C2');
    await clock.advance(100);
    expect(otherChannel.released).toHaveLength(1);
    expect(sameChannel.released).toEqual([]);
    await clock.advance(2_900);
    expect(sameChannel.released).toEqual([4_000]);
    // Nothing was learned about the workspace from it.
    expect(pacer.perSecond('chat.postMessage')).toBeGreaterThanOrEqual(20);
  });

  it('is one per workspace token: every client built with the token shares what was learned', () => {
    const options = { slackApiUrl: 'http://127.0.0.1:9/api/' };
    const teamA = new PacedWebClient('xoxb-workspace-1', options);
    const teamB = new PacedWebClient('xoxb-workspace-1', options);
    const otherWorkspace = new PacedWebClient('xoxb-workspace-2', options);
    expect(teamA.pacer).toBe(teamB.pacer);
    expect(teamA.pacer).toBe(workspacePacer('xoxb-workspace-1', options.slackApiUrl));
    expect(otherWorkspace.pacer).not.toBe(teamA.pacer);
  });
});

describe('PacedWebClient against the fake Slack API', () => {
  let fake: FakeSlackApi | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });

  it('two teams posting through one workspace token share its limit: every message once, the rate learned once', async () => {
    const users = Array.from({ length: 30 }, (_, i) => ({ id: `U${String(i).padStart(9, '0')}`, name: `User ${i}` }));
    // The pacer and the fake's limit on one clock: virtual, as fast as the calls go.
    const clock = new VirtualClock();
    fake = await FakeSlackApi.start({ token: 'xoxb-shared-workspace', botUserId: 'UBOT', botId: 'BBOT', users, channels: ['C0TEAMA', 'C0TEAMB'], clock });
    fake.rateLimitPerSecond('chat.postMessage', { limit: 8, retryAfter: 1 });
    const options = { slackApiUrl: fake.apiUrl, retryConfig: { retries: 0 } };
    const teamA = new PacedWebClient('xoxb-shared-workspace', options, { clock });
    const teamB = new PacedWebClient('xoxb-shared-workspace', options, { clock });
    const dms = await Promise.all(users.map((u) => teamA.conversations.open({ users: u.id })));
    await Promise.all(dms.map((dm, i) => (i % 2 === 0 ? teamA : teamB).chat.postMessage({ channel: dm.channel!.id!, text: `prompt ${i}` })));
    const delivered = fake
      .callsTo('chat.postMessage', 'ok')
      .map((c) => String(c.args.text))
      .sort();
    expect(delivered).toEqual(users.map((_, i) => `prompt ${i}`).sort());
    expect(teamA.pacer).toBe(teamB.pacer);
    expect(teamA.pacer.perSecond('chat.postMessage')).toBeLessThan(8);
  });
});

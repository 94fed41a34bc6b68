import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import type { IncomingReply } from '../../../src/platforms/platform.ts';
import type { InboundHandlers } from '../../../src/platforms/runtime.ts';

class StoreDown extends Error {
  override name = 'MongoServerSelectionError';
}

/** Handlers that record replies, and fail as an unreachable store would while `down`. */
function recordingHandlers(state: { down: boolean; stored: IncomingReply[] }): InboundHandlers {
  return {
    async onReply(reply) {
      if (state.down) throw new StoreDown('connect ECONNREFUSED 127.0.0.1:27017');
      if (!state.stored.some((r) => r.eventId === reply.eventId)) state.stored.push(reply);
    },
    async onCommand() {},
    async openForm() {
      throw new Error('unused');
    },
    checkForm: () => null,
    firstDelivery: async () => true,
    retryLater: (error) => error instanceof StoreDown,
  };
}

const replyOf = (payload: unknown): IncomingReply => {
  const { id } = payload as { id: string };
  return { sender: { platform: 'slack', userId: 'U1' }, eventId: id, channel: 'D1', input: { source: 'text', text: id }, rawText: id };
};

describe('the durable intake', () => {
  let dir: string;
  const logger = createLogger('intake-test', { level: 'silent' });
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'intake-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function bot(state: { down: boolean; stored: IncomingReply[] }, now = () => new Date('2024-06-05T10:00:00+08:00')) {
    const intake = await DurableIntake.open(dir, { logger, storeAvailable: async () => !state.down, now, replayEveryMs: 60_000 });
    const inbound = new Inbound(recordingHandlers(state), { logger, intake });
    // What an adapter does: spool, then route the payload to its work.
    const route = async (payload: unknown) => {
      const reply = replyOf(payload);
      void inbound.dispatch({ platform: 'slack', eventId: reply.eventId, kind: 'reply' }, (h) => h.onReply(reply));
    };
    const deliver = (payload: unknown) => inbound.accept('slack', payload, () => route(payload));
    return { intake, inbound, route, deliver };
  }

  it('completes a delivery once its work is done, and keeps one whose work failed because the store was down', async () => {
    const state = { down: false, stored: [] as IncomingReply[] };
    const { intake, inbound, deliver } = await bot(state);
    await deliver({ id: 'e1' });
    await inbound.idle();
    expect(state.stored.map((r) => r.eventId)).toEqual(['e1']);
    await intake.close();
    expect(intake.pending()).toEqual([]);

    state.down = true;
    const again = await bot(state);
    await again.deliver({ id: 'e2' });
    await again.inbound.idle();
    await again.intake.close();
    expect(again.intake.pending().map((e) => e.payload)).toEqual([{ id: 'e2' }]);
  });

  it('replays across a restart, in arrival order, with the time each arrived and marked as delayed', async () => {
    const state = { down: true, stored: [] as IncomingReply[] };
    const first = await bot(state, () => new Date('2024-06-05T10:00:00+08:00'));
    for (const id of ['r1', 'r2', 'r3']) await first.deliver({ id });
    await first.inbound.idle();
    // No replay while the store is away.
    await first.intake.replayPending();
    expect(state.stored).toEqual([]);
    await first.intake.close();

    const second = await bot(state, () => new Date('2024-06-05T11:00:00+08:00'));
    state.down = false;
    await second.inbound.replayFrom('slack', second.route);
    expect(state.stored.map((r) => r.eventId)).toEqual(['r1', 'r2', 'r3']);
    expect(state.stored.every((r) => r.delayed && r.receivedAt?.toISOString() === '2024-06-05T02:00:00.000Z')).toBe(true);
    expect(second.intake.pending()).toEqual([]);
    await second.intake.close();
  });

  it('refuses, without processing, a delivery it cannot spool', async () => {
    const state = { down: false, stored: [] as IncomingReply[] };
    const { intake, deliver } = await bot(state);
    await intake.close();
    let processed = false;
    await expect(intake.accept('slack', { id: 'x' }, async () => (processed = true))).rejects.toThrow();
    await expect(deliver({ id: 'x' })).rejects.toThrow();
    expect(processed).toBe(false);
    expect(state.stored).toEqual([]);
  });

  it('completes a delivery that started no work (e.g. the bot’s own message)', async () => {
    const state = { down: false, stored: [] as IncomingReply[] };
    const { intake, inbound } = await bot(state);
    await inbound.accept('slack', { ignored: true }, async () => undefined);
    await inbound.idle();
    await new Promise((resolve) => setImmediate(resolve));
    expect(intake.pending()).toEqual([]);
    await intake.close();
  });
});

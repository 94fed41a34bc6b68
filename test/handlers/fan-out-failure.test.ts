import { afterEach, describe, expect, it } from 'vitest';
import { openWeek, promptOwners } from '../../handlers/cycle/prompt.ts';
import type { Store } from '../../src/store/store.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { discardTestStore, openTestStore } from '../support/test-store.ts';

const TUESDAY = '2024-06-04T15:34:00+08:00';
const WEEK = '2024-W23';
let store: Store | undefined;

afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

describe('a fan-out that fails on the store', () => {
  it('ends only once every prompt in flight has settled, so that none is left sending without a heartbeat', async () => {
    store = await openTestStore('fan-out-failure');
    const inner = store;
    // The store refuses one reservation (a SQLITE_BUSY, a dropped connection) while others are being sent.
    const failing = new Proxy(inner, {
      get(target, property) {
        if (property === 'reservePrompt') {
          return async (...args: Parameters<Store['reservePrompt']>) => {
            if (args[0].owner === 'owner-o4') throw new Error('database is locked (SQLITE_BUSY)');
            return target.reservePrompt(...args);
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const bot = await consoleBot(failing, new FakeClock(new Date(TUESDAY)));
    // Each send takes a while, as behind a rate limit: several are in flight when the reservation fails.
    const send = bot.platform.sendDirect.bind(bot.platform);
    bot.platform.sendDirect = async (...args) => {
      await new Promise((resolve) => setTimeout(resolve, 30));
      return send(...args);
    };
    await openWeek(bot.ctx, bot.team, WEEK);

    await expect(promptOwners(bot.ctx, bot.team, WEEK)).rejects.toThrow();
    const sendsAtFailure = bot.platform.messages.length;
    const prompts = await inner.listPrompts(bot.team.definition.id, WEEK);
    // Every reservation made was sent and recorded before the run reported its failure …
    expect(prompts.filter((p) => p.state === 'sending')).toEqual([]);
    expect(prompts.length).toBe(sendsAtFailure);
    // … and nothing of the failed run is still sending afterwards.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(bot.platform.messages.length).toBe(sendsAtFailure);

    // The next run prompts whoever is left, and nobody twice.
    await promptOwners({ ...bot.ctx, store: inner }, bot.team, WEEK);
    const owners = bot.platform.messages.map((m) => `${m.channel} ${m.answerForm?.sectionId ?? ''}`);
    expect(new Set(owners).size).toBe(owners.length);
    expect((await inner.listPrompts(bot.team.definition.id, WEEK)).every((p) => p.state === 'sent')).toBe(true);
  });
});

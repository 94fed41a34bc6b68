import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../handlers/cycle/jobs.ts';
import { ownedSection } from '../../handlers/owners/people.ts';
import { answerInMemory } from '../../handlers/inbound/command.ts';
import { knownStatus, rememberStatus, STATUS_ANSWERS_MAX_AGE_MS, STATUS_AT_ONCE_MAX_AGE_MS, statusVersion } from '../../handlers/inbound/status-memo.ts';
import type { OutgoingMessage } from '../../src/platforms/platform.ts';
import { ANSWERS_TTL_MS, CachingStore, PLANS_TTL_MS, weekVersionOf } from '../../src/store/caching-store.ts';
import { MemoryStore } from '../../src/store/memory.ts';
import { CACHED, type Store, type SubmissionInput } from '../../src/store/store.ts';
import { consoleBot, FakeClock } from '../support/bot.ts';
import { discardTestStore, openTestStore } from '../support/test-store.ts';
import { runStoreContract } from './contract.ts';

const TUESDAY = '2024-06-04T15:34:00+08:00';
const WEEK = '2024-W23';
/** The store under the cache: what another replica writes to, and what the tests look at. */
let store: Store | undefined;

afterEach(async () => {
  if (store) await discardTestStore(store);
  store = undefined;
});

/** The store with every call that reaches it noted by method name (and the week, for latestSubmissions). */
function counted(inner: Store): { store: Store; calls: string[] } {
  const calls: string[] = [];
  const proxy = new Proxy(inner, {
    get(target, property) {
      const value = Reflect.get(target, property, target) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(property === 'latestSubmissions' ? `latestSubmissions(${String(args[1])})` : String(property));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store: proxy, calls };
}

/**
 * A console bot whose week is open (the Tuesday prompts sent), reading through a cache of its own
 * (on the test's clock) whose calls to the store are counted.
 */
async function openWeek(label: string) {
  store = await openTestStore(label, undefined, undefined, false);
  const { store: countedStore, calls } = counted(store);
  const clock = new FakeClock(new Date(TUESDAY));
  const bot = await consoleBot(new CachingStore(countedStore, clock), clock);
  await runDueJobs(bot.ctx, bot.team, bot.holder);
  const callsDuring = async (act: () => Promise<unknown>) => {
    calls.length = 0;
    await act();
    return [...calls];
  };
  const lastTo = (person: string) => bot.platform.messages.filter((m) => m.channel === `@${person}`).at(-1)!;
  /** A bot standing for another replica: the same store, a cache of its own. */
  const otherReplica = () => consoleBot(new CachingStore(store!, clock), clock, 'replica-b');
  return { bot, clock, callsDuring, lastTo, otherReplica };
}

describe('a reply does only the store work it needs', () => {
  it('costs the insert, the prompt’s mark and one cycle read once the week’s answers are cached; a second message skips the mark', async () => {
    const { bot, callsDuring } = await openWeek('reply-store-calls');
    // The first answer of the week in this process reads the week's answers, once for all owners.
    bot.session.you = 'owner-o1';
    expect(await callsDuring(() => bot.session.say('1. 第一件事'))).toContain(`latestSubmissions(${WEEK})`);

    bot.session.you = 'owner-o3';
    expect(await callsDuring(() => bot.session.say('1. 灰度发布'))).toEqual(['recordSubmission', 'markPromptAnswered', 'getCycle']);
    expect(await callsDuring(() => bot.session.say('2. 全量上线'))).toEqual(['recordSubmission', 'getCycle']);
    const latest = await store!.latestSubmission({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o3', owner: 'owner-o3' });
    expect(latest?.parts?.map((p) => p.rawText)).toEqual(['1. 灰度发布', '2. 全量上线']);
    expect((await store!.listPrompts('payments-weekly', WEEK)).find((p) => p.owner === 'owner-o3')?.state).toBe('answered');
  });

  it('loses no message stored through another replica meanwhile: the out-of-date revision is refused, and the reply reads the store', async () => {
    const { bot, callsDuring, lastTo, otherReplica } = await openWeek('reply-stale-cache');
    bot.session.you = 'owner-o3';
    await bot.session.say('1. 灰度发布');
    // The owner's next message lands on another replica (its own cache), within the cache's lifetime.
    const other = await otherReplica();
    other.session.you = 'owner-o3';
    await other.session.say('2. 全量上线');

    const calls = await callsDuring(() => bot.session.say('3. 复盘'));
    expect(calls).toEqual(['recordSubmission', 'latestSubmission', 'recordSubmission', 'getCycle']);
    const latest = await store!.latestSubmission({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o3', owner: 'owner-o3' });
    expect(latest?.revision).toBe(3);
    expect(latest?.parts?.map((p) => p.rawText)).toEqual(['1. 灰度发布', '2. 全量上线', '3. 复盘']);
    expect(lastTo('owner-o3').markdown).toContain('1. 灰度发布\n2. 全量上线\n3. 复盘');
  });

  it('never refuses a message on an out-of-date answer: a section started over through another replica takes it', async () => {
    const { bot, lastTo, otherReplica } = await openWeek('reply-stale-refusal');
    bot.session.you = 'owner-o3';
    await bot.session.say(`1. ${'长'.repeat(19_000)}`);
    const other = await otherReplica();
    other.session.you = 'owner-o3';
    await other.session.say('重写');

    // With the 19,000 characters this replica still has, the section would be over its limit.
    await bot.session.say(`1. ${'短'.repeat(2_000)}`);
    const latest = await store!.latestSubmission({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o3', owner: 'owner-o3' });
    expect(latest?.revision).toBe(3);
    expect(latest?.parts?.map((p) => p.rawText)).toEqual([`1. ${'短'.repeat(2_000)}`]);
    expect(lastTo('owner-o3').text).toContain('✅');
  });

  it('reads the week’s answers again after a while, for what other replicas stored', async () => {
    const { bot, clock, callsDuring } = await openWeek('reply-cache-ttl');
    bot.session.you = 'owner-o1';
    await bot.session.say('1. 第一件事');
    bot.session.you = 'owner-o3';
    expect(await callsDuring(() => bot.session.say('1. 灰度发布'))).not.toContain(`latestSubmissions(${WEEK})`);
    clock.advance(ANSWERS_TTL_MS);
    expect(await callsDuring(() => bot.session.say('2. 全量上线'))).toContain(`latestSubmissions(${WEEK})`);
  });

  it('previews a shared section with the other owners’ latest answers, read owner by owner', async () => {
    const { bot, callsDuring, lastTo } = await openWeek('shared-preview');
    const promptOf = (owner: string) => bot.platform.messages.find((m) => m.channel === `@${owner}` && m.answerForm?.sectionId === 'other')!.id;
    bot.session.you = 'lead';
    await bot.session.say('1. 组织团建', promptOf('lead'));
    bot.session.you = 'owner-o2';
    const calls = await callsDuring(() => bot.session.say('1. 分享会', promptOf('owner-o2')));
    expect(calls).not.toContain('latestSubmissions');
    expect(lastTo('owner-o2').markdown).toBe('## 【其他】\n\n1. 组织团建\n2. 分享会');
  });
});

describe('status under load', () => {
  it('reads nothing but the command’s dedupe mark once warm, and shows an answer stored a moment ago', async () => {
    const { bot, callsDuring } = await openWeek('status-store-calls');
    bot.session.you = 'lead';
    await bot.session.command('status');
    const calls = await callsDuring(() => bot.session.command('status'));
    expect(calls.filter((c) => c !== 'markEventSeen')).toEqual([]);
    expect(bot.answers.at(-1)!.message.text).toContain('已提交 0/');

    bot.session.you = 'owner-o1';
    await bot.session.say('1. 第一件事');
    bot.session.you = 'lead';
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toContain('已提交 1/');
    expect(bot.answers.at(-1)!.message.text).toContain('✅ 【O1 业务服务】');
  });

  it('shows another replica’s answer once the answers it read are two seconds old', async () => {
    const { bot, clock, callsDuring, otherReplica } = await openWeek('status-other-replica');
    bot.session.you = 'lead';
    await bot.session.command('status');
    const other = await otherReplica();
    other.session.you = 'owner-o1';
    await other.session.say('1. 第一件事');
    clock.advance(STATUS_ANSWERS_MAX_AGE_MS - 1);
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toContain('已提交 0/');
    clock.advance(1);
    expect(await callsDuring(() => bot.session.command('status'))).toContain(`latestSubmissions(${WEEK})`);
    expect(bot.answers.at(-1)!.message.text).toContain('已提交 1/');
  });

  it('shows a lead’s delegation and absence at once, though the plans were cached a moment before', async () => {
    const { bot } = await openWeek('status-invalidation');
    bot.session.you = 'lead';
    await bot.session.command('status');
    await bot.session.command('delegate o1 owner-o3');
    await bot.session.command('away owner-o4 2024-06-03 2024-06-09');
    await bot.session.command('status');
    const status = bot.answers.at(-1)!.message.text;
    expect(status).toContain('【O1 业务服务】（Owner O3）');
    expect(status).toContain('🌴 休假：【O4 支付 × AI】（Owner O4）');
  });

  it('reads delegations again after a while, for a change made through another replica', async () => {
    const { bot, clock } = await openWeek('status-ttl');
    bot.session.you = 'lead';
    await bot.session.command('status');
    // Another replica records it (its own cache drops its plans, not this one's).
    await store!.recordDelegation({ teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', person: 'owner-o3', setBy: 'lead', at: clock.now() });
    clock.advance(PLANS_TTL_MS);
    await bot.session.command('status');
    expect(bot.answers.at(-1)!.message.text).toContain('【O1 业务服务】（Owner O3）');
  });

  it('never refuses a delegate’s form on cached delegations: a refusal is checked against the store', async () => {
    const { bot, clock } = await openWeek('form-delegate');
    const ref = { teamId: 'payments-weekly', week: WEEK, sectionId: 'o1' };
    expect(await ownedSection(bot.ctx, { platform: 'console', userId: 'owner-o1' }, ref)).not.toBeNull();
    await store!.recordDelegation({ ...ref, person: 'owner-o3', setBy: 'lead', at: clock.now() });
    expect((await ownedSection(bot.ctx, { platform: 'console', userId: 'owner-o3' }, ref))?.owner).toBe('owner-o3');
  });
});

describe('a status sent with the command’s acknowledgement', () => {
  const fromLead = (text = 'status') => ({ sender: { platform: 'console', userId: 'lead' }, text, channel: '@lead' });

  it('is the status computed less than a second ago, read from memory only', async () => {
    const { bot, clock, callsDuring } = await openWeek('status-at-once');
    // Nothing computed yet: the command is acknowledged, then run.
    expect(answerInMemory(bot.ctx, fromLead())).toBeNull();
    bot.session.you = 'lead';
    await bot.session.command('status');
    const computed = bot.answers.at(-1)!.message.text;
    let atOnce: OutgoingMessage | null = null;
    expect(
      await callsDuring(async () => {
        atOnce = answerInMemory(bot.ctx, fromLead());
      }),
    ).toEqual([]);
    expect(atOnce).toEqual({ text: computed });
    clock.advance(STATUS_AT_ONCE_MAX_AGE_MS - 1);
    expect(answerInMemory(bot.ctx, fromLead('  STATUS '))).toEqual({ text: computed });
    clock.advance(1);
    expect(answerInMemory(bot.ctx, fromLead())).toBeNull();
  });

  it('is never one from before an answer, a delegation or an absence stored here', async () => {
    const { bot } = await openWeek('status-at-once-changes');
    const statusNow = async () => {
      bot.session.you = 'lead';
      await bot.session.command('status');
      return answerInMemory(bot.ctx, fromLead())?.text;
    };
    expect(await statusNow()).toContain('已提交 0/');
    bot.session.you = 'owner-o1';
    await bot.session.say('1. 第一件事');
    expect(answerInMemory(bot.ctx, fromLead())).toBeNull();
    expect(await statusNow()).toContain('已提交 1/');

    await bot.session.command('delegate o2 owner-o3');
    expect(answerInMemory(bot.ctx, fromLead())).toBeNull();
    expect(await statusNow()).toContain('（Owner O3）');
    await bot.session.command('away owner-o4 2024-06-03 2024-06-09');
    expect(answerInMemory(bot.ctx, fromLead())).toBeNull();
    expect(await statusNow()).toContain('🌴 休假：【O4 支付 × AI】（Owner O4）');
  });

  it('is not kept when an answer was stored while it was being computed', async () => {
    const { bot } = await openWeek('status-at-once-race');
    const { ctx } = bot;
    const version = statusVersion(ctx, 'payments-weekly', WEEK);
    bot.session.you = 'owner-o1';
    await bot.session.say('1. 第一件事');
    rememberStatus(ctx, 'payments-weekly', WEEK, version, 'computed from the answers before 第一件事');
    expect(knownStatus(ctx, 'payments-weekly', WEEK, STATUS_AT_ONCE_MAX_AGE_MS)).toBeNull();
    rememberStatus(ctx, 'payments-weekly', WEEK, statusVersion(ctx, 'payments-weekly', WEEK), 'computed after');
    expect(knownStatus(ctx, 'payments-weekly', WEEK, STATUS_AT_ONCE_MAX_AGE_MS)).toBe('computed after');
  });

  it('is only for `status`, for someone in one team, with nothing else typed', async () => {
    const { bot } = await openWeek('status-at-once-only');
    bot.session.you = 'lead';
    await bot.session.command('status');
    expect(answerInMemory(bot.ctx, fromLead())).not.toBeNull();
    expect(answerInMemory(bot.ctx, fromLead('help'))).toBeNull();
    expect(answerInMemory(bot.ctx, fromLead('status now'))).toBeNull();
    expect(answerInMemory(bot.ctx, fromLead('status payments-weekly'))).not.toBeNull();
    expect(answerInMemory(bot.ctx, fromLead('status other-team'))).toBeNull();
    expect(answerInMemory(bot.ctx, { ...fromLead(), sender: { platform: 'console', userId: 'stranger' } })).toBeNull();
  });
});

describe('CachingStore', () => {
  const TEAM = 'payments-weekly';
  const key = { teamId: TEAM, week: WEEK, sectionId: 'o1', owner: 'alice' };
  const answer = (eventId: string, text: string, basedOnRevision?: number): SubmissionInput => ({
    ...key,
    platform: 'slack',
    eventId,
    rawText: text,
    rawPayload: { text },
    content: { kind: 'text', markdown: text },
    receivedAt: new Date(TUESDAY),
    ...(basedOnRevision !== undefined ? { basedOnRevision } : {}),
  });

  /** A cache on a manual clock over a MemoryStore whose calls are counted. */
  function cached() {
    const inner = new MemoryStore();
    const { store: countedStore, calls } = counted(inner);
    const clock = new FakeClock(new Date(TUESDAY));
    const cache = new CachingStore(countedStore, clock);
    const callsDuring = async (act: () => Promise<unknown>) => {
      calls.length = 0;
      await act();
      return [...calls];
    };
    return { inner, cache, clock, callsDuring };
  }

  it('keeps a cycle once it exists, and reads it again, uncached, until it is published', async () => {
    const { inner, cache, callsDuring } = cached();
    expect(await callsDuring(async () => expect(await cache.getCycle(TEAM, WEEK, CACHED)).toBeNull())).toEqual(['getCycle']);
    expect(await callsDuring(async () => expect(await cache.getCycle(TEAM, WEEK, CACHED)).toBeNull())).toEqual(['getCycle']);

    await inner.openCycle(TEAM, WEEK, new Date(TUESDAY));
    expect(await callsDuring(() => cache.getCycle(TEAM, WEEK, CACHED))).toEqual(['getCycle']);
    expect(await callsDuring(() => cache.getCycle(TEAM, WEEK, CACHED))).toEqual([]);
    expect(await callsDuring(async () => expect((await cache.getCycle(TEAM, WEEK))?.status).toBe('open'))).toEqual(['getCycle']);

    // Published through another replica: a cached read still says open; a read of the store learns it, and keeps it.
    await inner.markPublished(TEAM, WEEK, [], new Date(TUESDAY));
    expect((await cache.getCycle(TEAM, WEEK, CACHED))?.status).toBe('open');
    expect(await callsDuring(async () => expect((await cache.getCycle(TEAM, WEEK))?.status).toBe('published'))).toEqual(['getCycle']);
    expect(await callsDuring(async () => expect((await cache.getCycle(TEAM, WEEK, CACHED))?.status).toBe('published'))).toEqual([]);
  });

  it('keeps what openCycle and markPublished return, and lists the team’s cycles again after either', async () => {
    const { cache, callsDuring } = cached();
    expect(await callsDuring(() => cache.listCycles(TEAM, 5, CACHED))).toEqual(['listCycles']);
    expect(await callsDuring(() => cache.listCycles(TEAM, 5, CACHED))).toEqual([]);
    await cache.openCycle(TEAM, WEEK, new Date(TUESDAY));
    expect(await callsDuring(async () => expect((await cache.listCycles(TEAM, 5, CACHED)).map((c) => c.week)).toEqual([WEEK]))).toEqual(['listCycles']);
    expect(await callsDuring(async () => expect((await cache.getCycle(TEAM, WEEK, CACHED))?.status).toBe('open'))).toEqual([]);

    await cache.markPublished(TEAM, WEEK, [], new Date(TUESDAY));
    expect(await callsDuring(async () => expect((await cache.getCycle(TEAM, WEEK, CACHED))?.status).toBe('published'))).toEqual([]);
    expect(await callsDuring(async () => expect((await cache.listCycles(TEAM, 5, CACHED))[0]?.status).toBe('published'))).toEqual(['listCycles']);
    // Opening a week it knows changes no list.
    await cache.openCycle(TEAM, WEEK, new Date(TUESDAY));
    expect(await callsDuring(() => cache.listCycles(TEAM, 5, CACHED))).toEqual([]);
  });

  it('keeps each answer it stores in the week’s answers, and reads the week again after ANSWERS_TTL_MS', async () => {
    const { inner, cache, clock, callsDuring } = cached();
    expect(await callsDuring(() => cache.latestSubmissions(TEAM, WEEK, CACHED))).toEqual([`latestSubmissions(${WEEK})`]);
    await cache.recordSubmission(answer('e1', 'first'));
    const read = await callsDuring(async () => {
      expect((await cache.latestSubmissions(TEAM, WEEK, CACHED)).map((s) => [s.rawText, s.revision])).toEqual([['first', 1]]);
      expect(await cache.latestSubmission(key, CACHED)).toMatchObject({ rawText: 'first', revision: 1 });
    });
    expect(read).toEqual([]);
    // The raw payload is the store's alone, as latestSubmissions' answers have none.
    expect(await cache.latestSubmission(key, CACHED)).not.toHaveProperty('rawPayload');

    // Stored through another replica: not seen until the week is read again.
    await inner.recordSubmission(answer('e2', 'second', 1));
    clock.advance(ANSWERS_TTL_MS - 1);
    expect((await cache.latestSubmission(key, CACHED))?.rawText).toBe('first');
    expect((await cache.latestSubmissions(TEAM, WEEK, { cached: { maxAgeMs: 1_000 } })).map((s) => s.rawText)).toEqual(['second']);
    clock.advance(1);
    expect(await callsDuring(async () => expect((await cache.latestSubmission(key, CACHED))?.rawText).toBe('second'))).toEqual([]);
    clock.advance(ANSWERS_TTL_MS);
    expect(await callsDuring(() => cache.latestSubmission(key, CACHED))).toEqual([`latestSubmissions(${WEEK})`]);
  });

  it('reads the store for every read without `cached`, and keeps a newer answer it finds', async () => {
    const { inner, cache, callsDuring } = cached();
    await cache.recordSubmission(answer('e1', 'first'));
    await cache.latestSubmissions(TEAM, WEEK, CACHED);
    await inner.recordSubmission(answer('e2', 'second', 1));
    // A revision built on the cached answer is refused by the store; the answer as stored is read, and kept.
    await expect(cache.recordSubmission(answer('e3', 'third', 1))).rejects.toThrow(/exists already/);
    const version = cache.weekVersion(TEAM, WEEK);
    expect(await callsDuring(async () => expect((await cache.latestSubmission(key))?.rawText).toBe('second'))).toEqual(['latestSubmission']);
    expect(cache.weekVersion(TEAM, WEEK)).not.toBe(version);
    expect(await callsDuring(async () => expect((await cache.latestSubmission(key, CACHED))?.rawText).toBe('second'))).toEqual([]);
    expect(await callsDuring(() => cache.latestSubmissions(TEAM, WEEK))).toEqual([`latestSubmissions(${WEEK})`]);
    expect(await callsDuring(() => cache.listDelegations(TEAM, WEEK))).toEqual(['listDelegations']);
    expect(await callsDuring(() => cache.listDelegations(TEAM, WEEK))).toEqual(['listDelegations']);
    expect(await callsDuring(() => cache.listAbsences(TEAM))).toEqual(['listAbsences']);
    expect(await callsDuring(() => cache.listCycles(TEAM, 3))).toEqual(['listCycles']);
  });

  it('drops a team’s plans when one is recorded through it, and reads them again after PLANS_TTL_MS otherwise', async () => {
    const { inner, cache, clock, callsDuring } = cached();
    const delegation = { teamId: TEAM, week: WEEK, sectionId: 'o1', person: 'bob', setBy: 'lead', at: new Date(TUESDAY) };
    const absence = { teamId: TEAM, person: 'carol', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: new Date(TUESDAY) };
    await cache.listDelegations(TEAM, WEEK, CACHED);
    await cache.listAbsences(TEAM, CACHED);
    await cache.recordDelegation(delegation);
    await cache.recordAbsence(absence);
    const reads = await callsDuring(async () => {
      expect(await cache.listDelegations(TEAM, WEEK, CACHED)).toEqual([delegation]);
      expect(await cache.listAbsences(TEAM, CACHED)).toEqual([absence]);
    });
    expect(reads).toEqual(['listDelegations', 'listAbsences']);

    // Through another replica: seen once the plans read are PLANS_TTL_MS old.
    await inner.recordDelegation({ ...delegation, person: 'dave' });
    clock.advance(PLANS_TTL_MS - 1);
    expect(await cache.listDelegations(TEAM, WEEK, CACHED)).toHaveLength(1);
    clock.advance(1);
    expect(await cache.listDelegations(TEAM, WEEK, CACHED)).toHaveLength(2);
  });

  it('drops a team’s plans, and raises the week’s version, when one is cancelled through it', async () => {
    const { cache, callsDuring } = cached();
    const delegation = { teamId: TEAM, week: WEEK, sectionId: 'o1', person: 'bob', setBy: 'lead', at: new Date(TUESDAY) };
    const absence = { teamId: TEAM, person: 'carol', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: new Date(TUESDAY) };
    await cache.recordDelegation(delegation);
    await cache.recordAbsence(absence);
    expect(await cache.listDelegations(TEAM, WEEK, CACHED)).toEqual([delegation]);
    expect(await cache.listAbsences(TEAM, CACHED)).toEqual([absence]);
    cache.weekVersion(TEAM, '2024-W30');
    const version = cache.weekVersion(TEAM, WEEK);
    const later = cache.weekVersion(TEAM, '2024-W30');

    expect(await cache.cancelDelegation({ teamId: TEAM, week: WEEK, sectionId: 'o1', setBy: 'lead', at: new Date(TUESDAY) })).toEqual(delegation);
    expect(cache.weekVersion(TEAM, WEEK)).not.toBe(version);
    expect(await callsDuring(async () => expect(await cache.listDelegations(TEAM, WEEK, CACHED)).toEqual([]))).toEqual(['listDelegations']);

    expect(await cache.cancelAbsence({ ...absence, at: new Date(TUESDAY) })).toBe(true);
    // An absence may fall in any week.
    expect(cache.weekVersion(TEAM, '2024-W30')).not.toBe(later);
    expect(await callsDuring(async () => expect(await cache.listAbsences(TEAM, CACHED)).toEqual([]))).toEqual(['listAbsences']);
  });

  it('does not keep plans read while one was being recorded', async () => {
    const inner = new MemoryStore();
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = new Proxy(inner, {
      get(target, property) {
        if (property === 'listDelegations') {
          return async (...args: Parameters<Store['listDelegations']>) => {
            const read = await target.listDelegations(...args);
            await gate;
            return read;
          };
        }
        const value = Reflect.get(target, property, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const cache = new CachingStore(slow, new FakeClock(new Date(TUESDAY)));
    const reading = cache.listDelegations(TEAM, WEEK, CACHED);
    await cache.recordDelegation({ teamId: TEAM, week: WEEK, sectionId: 'o1', person: 'bob', setBy: 'lead', at: new Date(TUESDAY) });
    release();
    expect(await reading).toEqual([]);
    expect(await cache.listDelegations(TEAM, WEEK, CACHED)).toHaveLength(1);
  });

  it('marks a prompt answered in the store once', async () => {
    const { inner, cache, callsDuring } = cached();
    await inner.reservePrompt(key, 'slack', new Date(TUESDAY));
    expect(await callsDuring(() => cache.markPromptAnswered(key))).toEqual(['markPromptAnswered']);
    expect(await callsDuring(() => cache.markPromptAnswered(key))).toEqual([]);
    expect((await cache.listPrompts(TEAM, WEEK))[0]?.state).toBe('answered');
  });

  it('raises the week’s version with every write that changes its status, and with no read of the week', async () => {
    const { cache } = cached();
    const changes = async (act: () => Promise<unknown>, week = WEEK) => {
      const before = cache.weekVersion(TEAM, week);
      await act();
      return cache.weekVersion(TEAM, week) !== before;
    };
    expect(await changes(() => cache.latestSubmissions(TEAM, WEEK, CACHED))).toBe(false);
    expect(await changes(() => cache.recordSubmission(answer('e1', 'first')))).toBe(true);
    expect(await changes(() => cache.latestSubmissions(TEAM, WEEK))).toBe(false);
    expect(await changes(() => cache.listDelegations(TEAM, WEEK, CACHED))).toBe(false);
    const review = {
      teamId: TEAM,
      week: WEEK,
      sectionId: 'goals',
      goalsWeek: '2024-W22',
      owner: 'alice',
      platform: 'slack' as const,
      eventId: 'g1',
      marks: [],
      rawText: '',
      receivedAt: new Date(TUESDAY),
    };
    expect(await changes(() => cache.recordGoalReview(review))).toBe(true);
    const delegation = { teamId: TEAM, week: WEEK, sectionId: 'o1', person: 'bob', setBy: 'lead', at: new Date(TUESDAY) };
    expect(await changes(() => cache.recordDelegation(delegation))).toBe(true);
    expect(await changes(() => cache.recordDelegation({ ...delegation, week: '2024-W24' }))).toBe(false);
    const absence = { teamId: TEAM, person: 'carol', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: new Date(TUESDAY) };
    expect(await changes(() => cache.recordAbsence(absence))).toBe(true);
    cache.weekVersion(TEAM, '2024-W30');
    expect(await changes(() => cache.recordAbsence({ ...absence, person: 'dave' }), '2024-W30')).toBe(true);
    // A version is the week's own, and a store without a cache has none.
    expect(cache.weekVersion('other-team', WEEK)).not.toBe(cache.weekVersion(TEAM, WEEK));
    expect(weekVersionOf(cache, TEAM, WEEK)).toBe(cache.weekVersion(TEAM, WEEK));
    expect(weekVersionOf(new MemoryStore(), TEAM, WEEK)).toBeNull();
  });

  it('is the store it wraps as a whole: its description, ping and close', async () => {
    const { inner, cache } = cached();
    expect(cache.describe()).toEqual(inner.describe());
    expect(await cache.ping()).toBe(true);
    await cache.close();
  });
});

// Whatever it caches, a read without `cached` and every write are the wrapped store's.
runStoreContract(
  'CachingStore over MemoryStore',
  async () => new CachingStore(new MemoryStore(), new FakeClock(new Date(TUESDAY))),
  async (s) => s.close(),
);

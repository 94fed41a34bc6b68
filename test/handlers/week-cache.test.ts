import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../handlers/jobs.ts';
import { ownedSection } from '../../handlers/people.ts';
import { answerInMemory } from '../../handlers/command.ts';
import { ANSWERS_TTL_MS, knownCycle, knownStatus, PLANS_TTL_MS, publishedCycle, rememberStatus, STATUS_ANSWERS_MAX_AGE_MS, STATUS_AT_ONCE_MAX_AGE_MS, statusVersion } from '../../handlers/week-cache.ts';
import type { OutgoingMessage } from '../../src/platforms/platform.ts';
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

/** The store with every call the handlers make to it noted by method name (and the week, for latestSubmissions). */
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

/** A console bot whose week is open (the Tuesday prompts sent), with its store calls counted. */
async function openWeek(label: string) {
  store = await openTestStore(label);
  const { store: countedStore, calls } = counted(store);
  const clock = new FakeClock(new Date(TUESDAY));
  const bot = await consoleBot(countedStore, clock);
  await runDueJobs(bot.ctx, bot.team, bot.holder);
  const callsDuring = async (act: () => Promise<unknown>) => {
    calls.length = 0;
    await act();
    return [...calls];
  };
  const lastTo = (person: string) => bot.platform.messages.filter((m) => m.channel === `@${person}`).at(-1)!;
  return { bot, clock, callsDuring, lastTo };
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
    const { bot, clock, callsDuring, lastTo } = await openWeek('reply-stale-cache');
    bot.session.you = 'owner-o3';
    await bot.session.say('1. 灰度发布');
    // The owner's next message lands on another replica (its own cache), within the cache's lifetime.
    const other = await consoleBot(store!, clock, 'replica-b');
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
    const { bot, clock, lastTo } = await openWeek('reply-stale-refusal');
    bot.session.you = 'owner-o3';
    await bot.session.say(`1. ${'长'.repeat(19_000)}`);
    const other = await consoleBot(store!, clock, 'replica-b');
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
    const { bot, clock, callsDuring } = await openWeek('status-other-replica');
    bot.session.you = 'lead';
    await bot.session.command('status');
    const other = await consoleBot(store!, clock, 'replica-b');
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
    expect(status).toContain('🌴 休假：Owner O4');
  });

  it('reads delegations again after a while, for a change made through another replica', async () => {
    const { bot, clock } = await openWeek('status-ttl');
    bot.session.you = 'lead';
    await bot.session.command('status');
    // Another replica records it (its own cache is dropped there, not here).
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
    expect(await statusNow()).toContain('🌴 休假：Owner O4');
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

describe('the week cache', () => {
  it('keeps a cycle once it exists, and reads the status again until it is published', async () => {
    store = await openTestStore('cycle-cache');
    const { store: countedStore, calls } = counted(store);
    const clock = new FakeClock(new Date(TUESDAY));
    const { ctx } = await consoleBot(countedStore, clock);

    expect(await knownCycle(ctx, 'payments-weekly', WEEK)).toBeNull();
    expect(await knownCycle(ctx, 'payments-weekly', WEEK)).toBeNull();
    expect(calls.filter((c) => c === 'getCycle')).toHaveLength(2);

    await store.openCycle('payments-weekly', WEEK, clock.now());
    calls.length = 0;
    await knownCycle(ctx, 'payments-weekly', WEEK);
    await knownCycle(ctx, 'payments-weekly', WEEK);
    expect((await publishedCycle(ctx, 'payments-weekly', WEEK))?.status).toBe('open');
    expect(calls).toEqual(['getCycle', 'getCycle']);

    await store.markPublished('payments-weekly', WEEK, [], clock.now());
    calls.length = 0;
    expect((await publishedCycle(ctx, 'payments-weekly', WEEK))?.status).toBe('published');
    expect((await publishedCycle(ctx, 'payments-weekly', WEEK))?.status).toBe('published');
    expect(calls).toEqual(['getCycle']);
  });
});

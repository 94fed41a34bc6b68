import { afterEach, describe, expect, it } from 'vitest';
import { PROMPT_CONCURRENCY } from '../../../handlers/cycle/prompt.ts';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { RATE_LIMITED_CODE } from '../../../src/platforms/feishu/rate-limit.ts';
import { formValueOf, startFeishuHarness, type FeishuHarness } from './harness.ts';

/**
 * Feishu throttles with code 99991400 (HTTP 429, or 400 on older APIs) and a reset header, and
 * the SDK does not retry. The prompt fan-out must wait those answers out and still prompt every
 * owner exactly once; and it must pace itself so that a burst to one person is not throttled.
 */
describe('Feishu rate limits', () => {
  let bot: FeishuHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  /** Prompts per (owner's chat, section) that the fake holds. */
  const promptCounts = (harness: FeishuHarness) => {
    const counts: Record<string, number> = {};
    for (const section of harness.team.definition.sections) {
      for (const owner of section.owners) {
        const chat = harness.fake.p2pChatOf(harness.openId(owner)).chat_id;
        counts[`${owner} ${section.id}`] = harness.fake.chatMessages(chat).filter((m) => formValueOf(m)?.sectionId === section.id).length;
      }
    }
    return counts;
  };
  const everyOwnerOnce = (harness: FeishuHarness) =>
    Object.fromEntries(harness.team.definition.sections.flatMap((s) => s.owners.map((o) => [`${o} ${s.id}`, 1])));

  it('waits out 99991400 answers during prompting and prompts every owner exactly once', async () => {
    const harness = (bot = await startFeishuHarness('feishu_throttle'));
    harness.fake.rateLimitStorm(2, { resetSeconds: 1, apis: ['im.v1.message.create'] });
    await runDueJobs(harness.ctx, harness.team, 'test-holder');

    expect(promptCounts(harness)).toEqual(everyOwnerOnce(harness));
    const creates = harness.fake.callsTo('im.v1.message.create');
    expect(creates.filter((c) => c.code === RATE_LIMITED_CODE && c.status === 429)).toHaveLength(2);
    // The reset header was honoured: each refused message was sent again no sooner than a second later.
    for (const [i, refused] of creates.entries()) {
      if (refused.code !== RATE_LIMITED_CODE) continue;
      const retry = creates.slice(i + 1).find((c) => JSON.stringify(c.body) === JSON.stringify(refused.body))!;
      expect(retry.at - refused.at).toBeGreaterThanOrEqual(1000 - 50);
    }
    expect(harness.logs.filter((l) => l.msg.includes('rate limit hit'))).toHaveLength(2);
    const prompts = await harness.store.listPrompts('payments-weekly', '2024-W23');
    expect(prompts.every((p) => p.state === 'sent')).toBe(true);
  });

  it('treats the older HTTP 400 form of 99991400 the same way', async () => {
    const harness = (bot = await startFeishuHarness('feishu_throttle_400'));
    harness.fake.rateLimitStorm(1, { resetSeconds: 1, status: 400, apis: ['im.v1.message.create'] });
    await runDueJobs(harness.ctx, harness.team, 'test-holder');
    expect(promptCounts(harness)).toEqual(everyOwnerOnce(harness));
    expect(harness.fake.callsTo('im.v1.message.create').filter((c) => c.code === RATE_LIMITED_CODE && c.status === 400)).toHaveLength(1);
  });

  it('gives a prompt back when throttling outlasts the retries, and the next run sends it once', async () => {
    const harness = (bot = await startFeishuHarness('feishu_throttle_giveup', { rateLimit: { maxRetries: 1 } }));
    // Enough refusals for the prompts in flight to be refused twice: some of them fail this run.
    harness.fake.rateLimitStorm(2 * PROMPT_CONCURRENCY, { resetSeconds: 1, apis: ['im.v1.message.create'] });
    await runDueJobs(harness.ctx, harness.team, 'test-holder');
    const first = promptCounts(harness);
    expect(Object.values(first).filter((n) => n === 0).length).toBeGreaterThan(0);
    expect(Object.values(first).every((n) => n <= 1)).toBe(true);

    // The open job stays unfinished; once its lease has passed, the next sweep sends only what is missing.
    harness.setNow('2024-06-04T15:50:00+08:00');
    await runDueJobs(harness.ctx, harness.team, 'test-holder');
    expect(promptCounts(harness)).toEqual(everyOwnerOnce(harness));
  });

  it('paces messages to one person below Feishu’s 5 per second, so none is refused', async () => {
    const harness = (bot = await startFeishuHarness('feishu_pacing'));
    harness.fake.limitPerReceiver(5);
    const lead = harness.openId('lead');
    await Promise.all(Array.from({ length: 8 }, (_, i) => harness.runtime.platform.sendDirect(lead, { text: `message ${i + 1}` })));
    expect(harness.fake.chatMessages(harness.fake.p2pChatOf(lead).chat_id)).toHaveLength(8);
    expect(harness.fake.calls.filter((c) => c.code === RATE_LIMITED_CODE)).toEqual([]);
  });
});

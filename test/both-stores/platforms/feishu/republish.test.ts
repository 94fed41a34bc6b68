import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { feishuModule } from '../../../../src/platforms/feishu/module.ts';
import type { FakeMessage } from '../../../fakes/feishu-open-api.ts';
import { postToFeishuWebhook, type WebhookAnswer } from '../../../fakes/feishu-webhook.ts';
import { settle } from '../../../support/manual-clock.ts';
import { APP, startFeishuHarness, textOf, threadReply, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const WEEK = '2024-W23';

/**
 * Late answers arriving together on Feishu (issue #20, c): the posted report is updated and its
 * `.md` file attached again once, with both answers, whether they reach one process or two
 * replicas. Without the late answers' gather window, the first answer's update posted the report
 * with its answer alone and the second's posted it again (two new files, every card updated twice);
 * Slack did the same (test/both-stores/platforms/slack/late-answer.test.ts).
 */
describe('two late answers at the same time on Feishu', () => {
  const harnesses: FeishuHarness[] = [];
  afterEach(async () => {
    // Replicas first: the first harness owns the store and the fake.
    for (const h of harnesses.splice(0).reverse()) await h.close();
  });

  const group = (h: FeishuHarness) => feishuModule.reportChannel(h.team.definition)!;
  /** The `.md` files posted to the report's thread, with their content. */
  const reportFiles = (h: FeishuHarness) =>
    h.fake
      .chatMessages(group(h), { all: true })
      .filter((m) => m.sender === 'bot' && m.msg_type === 'file')
      .map((m) => h.fake.files.get((JSON.parse(m.content) as { file_key: string }).file_key)!.content.toString('utf8'));

  /**
   * Delivers the answers together: time stands still until Feishu has had them acknowledged and
   * the bot has stored them all, as when they arrive within the same couple of seconds.
   */
  const together = (h: FeishuHarness, deliveries: Promise<WebhookAnswer>[]) =>
    h.clock.during(async () => {
      const answers = await Promise.all(deliveries);
      while ((await h.store.latestSubmissions('payments-weekly', WEEK)).length < 3) await settle();
      return answers;
    });

  /** Opened on Tuesday, O1 answered on Wednesday, published by the schedule on Friday 17:00. */
  async function publishedWeek(h: FeishuHarness): Promise<{ header: FakeMessage; parts: FakeMessage[] }> {
    await runDueJobs(h.ctx, h.team, 'test-holder');
    h.setNow('2024-06-05T10:00:00+08:00');
    expect((await h.deliver(threadReply(h, 'owner-o1', 'o1', '1. 第一件事'))).status).toBe(200);
    h.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const [header] = h.fake.chatMessages(group(h)).filter((m) => m.sender === 'bot');
    const parts = h.fake.threadOf(header!.message_id).filter((m) => m.msg_type === 'interactive');
    expect(reportFiles(h)).toHaveLength(1);
    return { header: header!, parts };
  }

  it('updates the report once and attaches one new file, with both answers', async () => {
    const h = await startFeishuHarness('feishu_two_late_answers');
    harnesses.push(h);
    const { header, parts } = await publishedWeek(h);

    h.setNow('2024-06-07T17:30:00+08:00');
    const late = [threadReply(h, 'owner-o2', 'o2', '1. 迟到的回答甲'), threadReply(h, 'owner-o3', 'o3', '1. 迟到的回答乙')];
    const answers = await together(
      h,
      late.map((event) => postToFeishuWebhook(h.webhookUrl(), APP, event)),
    );
    await h.runtime.idle();
    expect(answers.map((a) => a.status)).toEqual([200, 200]);

    const files = reportFiles(h);
    expect(files).toHaveLength(2);
    expect(files[1]).toContain('迟到的回答甲');
    expect(files[1]).toContain('迟到的回答乙');
    // Each posted card updated once, to the report with both answers.
    expect(header.edits).toBe(1);
    expect(parts.map((p) => p.edits)).toEqual(parts.map(() => 1));
    expect(parts.map(textOf).join('\n')).toContain('迟到的回答甲');
    expect(parts.map(textOf).join('\n')).toContain('迟到的回答乙');
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('updates the report once and attaches one new file when each answer reaches another replica', async () => {
    const a = await startFeishuHarness('feishu_two_late_answers_replicas');
    harnesses.push(a);
    const { header, parts } = await publishedWeek(a);
    // Replica B: another process on the same store and the same app, its own runtime and server.
    const b = await startFeishuHarness('feishu_two_late_answers_replicas', { now: '2024-06-07T17:30:00+08:00', replicaOf: a });
    harnesses.push(b);

    a.setNow('2024-06-07T17:30:00+08:00');
    const answers = await together(a, [
      postToFeishuWebhook(a.webhookUrl(), APP, threadReply(a, 'owner-o2', 'o2', '1. 迟到的回答甲')),
      postToFeishuWebhook(b.webhookUrl(), APP, threadReply(a, 'owner-o3', 'o3', '1. 迟到的回答乙')),
    ]);
    await Promise.all([a.runtime.idle(), b.runtime.idle()]);
    expect(answers.map((x) => x.status)).toEqual([200, 200]);

    const files = reportFiles(a);
    expect(files).toHaveLength(2);
    expect(files[1]).toContain('迟到的回答甲');
    expect(files[1]).toContain('迟到的回答乙');
    expect(header.edits).toBe(1);
    expect(parts.map((p) => p.edits)).toEqual(parts.map(() => 1));
    expect([...a.logs, ...b.logs].filter((l) => l.level >= 50)).toEqual([]);
  });
});

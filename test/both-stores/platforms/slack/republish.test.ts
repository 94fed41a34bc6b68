import { webApi } from '@slack/bolt';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWeek } from '../../../../handlers/cycle/prompt.ts';
import { publishWeek } from '../../../../handlers/cycle/publish.ts';
import type { BotContext } from '../../../../src/bot/context.ts';
import { SlackPlatform } from '../../../../src/platforms/slack/client-platform.ts';
import type { SubmissionInput } from '../../../../src/store/store.ts';
import { BOT_TOKEN, FAST_RETRIES, startSlackHarness, type SlackHarness } from '../../../platforms/slack/harness.ts';

const WEEK = '2024-W23';

/** Two replicas republishing at once, and a replayed `publish`, after a change to a published week (issue #14). */
describe('republishing a changed week on Slack', () => {
  let h: SlackHarness;
  let replicaB: BotContext;
  beforeEach(async () => {
    h = await startSlackHarness('slack_republish', { now: '2024-06-07T17:00:00+08:00' });
    // A second process on the same store and the same workspace: its own WebClient and platform.
    const platform = new SlackPlatform(new webApi.WebClient(BOT_TOKEN, { slackApiUrl: h.fake.apiUrl, retryConfig: FAST_RETRIES }));
    replicaB = { ...h.ctx, platforms: { slack: platform } };
  });
  afterEach(async () => {
    await h?.close();
  });

  const answer = (sectionId: string, owner: string, text: string, eventId: string): SubmissionInput => ({
    teamId: 'payments-weekly',
    week: WEEK,
    sectionId,
    owner,
    platform: 'slack',
    eventId,
    rawText: text,
    content: { kind: 'list', items: [{ text, children: [] }] },
    receivedAt: h.ctx.clock.now(),
  });
  /** The `.md` files completed into the report channel. */
  const reportFiles = () => h.fake.files.filter((f) => f.completed && f.filename.endsWith('.md'));
  /** chat.update calls on the digest's own messages (header and report parts). */
  const digestUpdates = async () => {
    const posted = new Set((await h.store.getCycle('payments-weekly', WEEK))!.posts.filter((p) => p.role !== 'file').map((p) => p.messageId));
    return h.fake.callsTo('chat.update', 'ok').filter((c) => posted.has(String(c.args.ts)));
  };

  it('uploads one file and updates each message once, however many replicas publish and however often the command is replayed', async () => {
    await openWeek(h.ctx, h.team, WEEK);
    await h.store.recordSubmission(answer('o1', 'owner-o1', '第一版', 'ev-1'));
    expect(await publishWeek(h.ctx, h.team, WEEK, 'replica-a')).toEqual({ status: 'published', updated: false });
    expect(reportFiles()).toHaveLength(1);
    const messages = (await h.store.getCycle('payments-weekly', WEEK))!.posts.filter((p) => p.role !== 'file').length;
    expect(await digestUpdates()).toHaveLength(0);

    // A late answer, then both replicas publish at once.
    h.setNow('2024-06-07T18:00:00+08:00');
    await h.store.recordSubmission(answer('o2', 'owner-o2', '迟到的回答', 'ev-2'));
    const outcomes = await Promise.all([publishWeek(h.ctx, h.team, WEEK, 'replica-a'), publishWeek(replicaB, h.team, WEEK, 'replica-b')]);
    expect(outcomes.some((o) => o.status === 'published')).toBe(true);
    expect(reportFiles()).toHaveLength(2);
    expect(h.fake.callsTo('files.completeUploadExternal', 'ok')).toHaveLength(2);
    expect(await digestUpdates()).toHaveLength(messages);
    expect(reportFiles()[1]!.content).toContain('迟到的回答');

    // The same command replayed five times (and the scheduled publish): nothing changed, nothing is posted.
    for (let i = 0; i < 5; i++) expect(await publishWeek(i % 2 ? replicaB : h.ctx, h.team, WEEK, `replay-${i}`)).toMatchObject({ status: 'published' });
    expect(reportFiles()).toHaveLength(2);
    expect(await digestUpdates()).toHaveLength(messages);

    // The next change is published again, once.
    h.setNow('2024-06-07T19:00:00+08:00');
    await h.store.recordSubmission(answer('o3', 'owner-o3', '又一个迟到的回答', 'ev-3'));
    await Promise.all([publishWeek(replicaB, h.team, WEEK, 'replica-b'), publishWeek(h.ctx, h.team, WEEK, 'replica-a')]);
    expect(reportFiles()).toHaveLength(3);
    expect(await digestUpdates()).toHaveLength(2 * messages);
  });

  it('posts a change that arrives while another replica is publishing, once the first publication is done', async () => {
    await openWeek(h.ctx, h.team, WEEK);
    await h.store.recordSubmission(answer('o1', 'owner-o1', '第一版', 'ev-1'));
    await publishWeek(h.ctx, h.team, WEEK, 'replica-a');
    h.setNow('2024-06-07T18:00:00+08:00');
    await h.store.recordSubmission(answer('o2', 'owner-o2', '迟到的回答', 'ev-2'));

    // Replica A's republish is slowed in its upload; meanwhile another answer comes and replica B publishes it.
    let release!: () => void;
    let uploading!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const reachedUpload = new Promise<void>((resolve) => (uploading = resolve));
    const slack = h.ctx.platforms.slack!;
    const slowUpload = async (...args: Parameters<typeof slack.uploadFile>) => {
      uploading();
      await gate;
      return slack.uploadFile(...args);
    };
    const slowA: BotContext = {
      ...h.ctx,
      platforms: {
        slack: new Proxy(slack, { get: (target, prop, receiver) => (prop === 'uploadFile' ? slowUpload : (Reflect.get(target, prop, receiver) as unknown)) }),
      },
    };
    const publishingA = publishWeek(slowA, h.team, WEEK, 'replica-a');
    await reachedUpload;
    await h.store.recordSubmission(answer('o3', 'owner-o3', '发布中到达的回答', 'ev-3'));
    // B finds A's publication running: it says so, and leaves the new answer to A.
    expect(await publishWeek(replicaB, h.team, WEEK, 'replica-b')).toEqual({ status: 'in-progress' });
    release();
    expect(await publishingA).toEqual({ status: 'published', updated: true });
    const last = reportFiles().at(-1)!;
    expect(last.content).toContain('发布中到达的回答');
    expect(
      reportFiles()
        .map((f) => f.content)
        .filter((c) => c?.includes('发布中到达的回答')),
    ).toHaveLength(1);
  });
});

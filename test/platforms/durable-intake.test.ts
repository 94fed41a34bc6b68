import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../handlers/cycle/jobs.ts';
import { createLogger } from '../../src/log.ts';
import { DurableIntake } from '../../src/platforms/intake/intake.ts';
import { messageReceived } from '../fakes/feishu-webhook.ts';
import { imMessageEvent } from '../fakes/slack-payloads.ts';
import { APP, formValueOf, startFeishuHarness, type FeishuHarness } from './feishu/harness.ts';
import { findPrompt, startSlackHarness, type SlackHarness } from './slack/harness.ts';

/**
 * The adapters spool what they acknowledge: a reply that reaches the store leaves nothing in the
 * spool, and when the spool can't be written the platform gets an error status (so it delivers
 * again) and nothing is processed. The outage itself is tested with a real bot process and a
 * database stopped and started (store-outage.test.ts).
 */
describe('the adapters spool before they acknowledge', () => {
  const logger = createLogger('intake-test', { level: 'silent' });
  let dir: string;
  let slack: SlackHarness | undefined;
  let feishu: FeishuHarness | undefined;
  const intakeIn = async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'adapter-spool-'));
    return DurableIntake.open(dir, { logger, storeAvailable: async () => true });
  };
  afterEach(async () => {
    await slack?.close();
    await feishu?.close();
    slack = feishu = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('Slack: a stored reply leaves the spool empty; a reply it cannot spool gets 500 and is not processed', async () => {
    const intake = await intakeIn();
    slack = await startSlackHarness('slack_spool', { intake });
    await runDueJobs(slack.ctx, slack.team, 'test-holder');
    const owner = slack.slackId('owner-o1');
    const prompt = findPrompt(slack, owner, 'o1');
    const typed = (text: string) => imMessageEvent(slack!.fake.userMessage({ channel: prompt.channel, user: owner, text, threadTs: prompt.ts }));

    expect((await slack.sendEvent(typed('1. 第一件事'))).status).toBe(200);
    await intake.close();
    expect(intake.pending()).toEqual([]);
    expect((await slack.store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' }))?.parts).toHaveLength(1);

    // The spool is gone (a full disk, say): Slack must not be told the reply was received.
    expect((await slack.sendEvent(typed('2. 第二件事'))).status).toBe(500);
    expect((await slack.store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' }))?.parts).toHaveLength(1);
  });

  it('Feishu: a stored reply leaves the spool empty; a reply it cannot spool gets 500 and is not processed', async () => {
    const intake = await intakeIn();
    feishu = await startFeishuHarness('feishu_spool', { intake });
    await runDueJobs(feishu.ctx, feishu.team, 'test-holder');
    const owner = feishu.openId('owner-o1');
    const prompt = feishu.fake.chatMessages(feishu.fake.p2pChatOf(owner).chat_id).find((m) => formValueOf(m)?.sectionId === 'o1')!;
    const typed = (text: string) =>
      messageReceived(APP, feishu!.fake.userWrites(owner, { msgType: 'text', content: JSON.stringify({ text }), replyTo: prompt.message_id, inThread: true }));

    expect((await feishu.deliver(typed('1. 第一件事'))).status).toBe(200);
    await intake.close();
    expect(intake.pending()).toEqual([]);
    expect((await feishu.store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' }))?.parts).toHaveLength(1);

    expect((await feishu.deliver(typed('2. 第二件事'))).status).toBe(500);
    expect((await feishu.store.latestSubmission({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'owner-o1' }))?.parts).toHaveLength(1);
  });
});

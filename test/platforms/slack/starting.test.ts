import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { messagesFor } from '../../../handlers/texts/messages.ts';
import { openWeek, promptOwners } from '../../../handlers/cycle/prompt.ts';
import { createLogger } from '../../../src/log.ts';
import { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import { blockActionPayload, FORM_TYPE, imMessageEvent, interactionBody } from '../../fakes/slack-payloads.ts';
import { findPrompt, startSlackHarness, type SlackHarness } from './harness.ts';

const WEEK = '2024-W23';
const NOW = '2024-06-05T10:00:00+08:00';
const STARTING = messagesFor('zh-CN').starting;

/**
 * The bot listens before its store has connected (src/main.ts): what Slack delivers meanwhile is
 * verified, spooled and acknowledged, and processed once the store is there; what must be answered
 * at once (a command's acknowledgement, a form to open before its trigger expires) says "the bot is
 * starting, try again in a moment" instead, and runs nothing. The same with a real process and
 * database: store-late.test.ts.
 */
describe('Slack while the bot is starting, before its store has connected', () => {
  const logger = createLogger('starting-test', { level: 'silent' });
  let dir: string;
  let intake: DurableIntake;
  let connected = false;
  let h: SlackHarness;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'starting-spool-'));
    connected = false;
    intake = await DurableIntake.open(dir, { logger, storeAvailable: async () => connected, now: () => new Date(NOW) });
    h = await startSlackHarness('slack_starting', { now: NOW, intake, storeLater: true });
    // The week was opened and its prompts sent by an earlier life of the bot.
    const earlier = { ...h.ctx, store: h.store };
    await openWeek(earlier, h.team, WEEK);
    await promptOwners(earlier, h.team, WEEK);
  });
  afterEach(async () => {
    await h?.close();
    await intake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const connect = async () => {
    h.connectStore();
    connected = true;
    await intake.replayPending();
    await h.runtime.idle();
  };

  it('answers a slash command in its acknowledgement: the bot is starting, try again; nothing runs, now or later', async () => {
    const answer = await h.command(h.slackId('lead'), 'status');
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body)).toEqual({ response_type: 'ephemeral', text: STARTING });
    expect(intake.pending()).toEqual([]);

    await connect();
    expect(h.fake.responses).toEqual([]);
    // Once the store is there, the command runs.
    expect((await h.command(h.slackId('lead'), 'status')).status).toBe(200);
    expect(h.fake.responses.map((r) => r.body.text)).toEqual([expect.stringContaining(`${WEEK} 已提交`)]);
  });

  it('answers the form button privately: the bot is starting, try again; the form opens when pressed again later', async () => {
    const owner = h.slackId('owner-o1');
    const press = () =>
      h.post(interactionBody(blockActionPayload(h.fake, { user: owner, message: findPrompt(h, owner, 'o1'), actionId: 'open_answer_form' })), FORM_TYPE);
    expect((await press()).status).toBe(200);
    expect(h.fake.responses.map((r) => r.body)).toEqual([expect.objectContaining({ response_type: 'ephemeral', text: STARTING })]);
    expect(h.fake.callsTo('views.open')).toEqual([]);
    expect(intake.pending()).toEqual([]);

    await connect();
    expect((await press()).status).toBe(200);
    expect(h.fake.callsTo('views.open')).toHaveLength(1);
    expect(h.fake.responses).toHaveLength(1);
  });

  it('acknowledges a reply, keeps it, and stores and confirms it once the store is there', async () => {
    const owner = h.slackId('owner-o1');
    const prompt = findPrompt(h, owner, 'o1');
    const message = h.fake.userMessage({ channel: prompt.channel, user: owner, text: '1. 启动时发的回复', threadTs: prompt.ts });
    expect((await h.sendEvent(imMessageEvent(message))).status).toBe(200);
    expect(intake.pending()).toHaveLength(1);
    const key = { teamId: 'payments-weekly', week: WEEK, sectionId: 'o1', owner: 'owner-o1' };
    expect(await h.store.latestSubmission(key)).toBeNull();

    await connect();
    expect(intake.pending()).toEqual([]);
    expect((await h.store.submissionHistory(key)).map((s) => s.rawText)).toEqual(['1. 启动时发的回复']);
    const confirmations = h.fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === h.fake.botUserId && m.text.includes('✅'));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.text).toContain('🕓');
  });
});

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { feishuModule } from '../../../src/platforms/feishu/module.ts';
import type { Team } from '../../../src/report/definition.ts';
import { FakeFeishuOpenApi, type FakeMessage as FeishuMessage } from '../../fakes/feishu-open-api.ts';
import { messageReceived, postToFeishuWebhook } from '../../fakes/feishu-webhook.ts';
import { FakeSlackApi, signedPost, type FakeMessage as SlackMessage } from '../../fakes/slack-api.ts';
import { eventEnvelope, imMessageEvent, JSON_TYPE, newEventId } from '../../fakes/slack-payloads.ts';
import {
  allSlackPrompts,
  botEnv,
  killBot,
  promptCount,
  ready,
  setUpBotProcess,
  slackFakeFor,
  startBot,
  storedEvents,
  tearDownBotProcess,
  waitFor,
  type Bot,
  type Setup,
} from '../../support/bot-process.ts';
import { startFerretdb } from '../../support/ferretdb.ts';
import { APP as FEISHU_APP, formValueOf } from '../../platforms/feishu/harness.ts';

/**
 * Issue #14's acceptance, with the bot as a real process: the database is stopped, 13 owners
 * reply and each reply is acknowledged, the bot is killed (SIGKILL) and started again, then the
 * database comes back. Every reply must then be stored exactly once, in order, each owner must
 * get one confirmation (saying it is late), and the platform's redeliveries must change nothing.
 */

const SLACK_TOKEN = 'xoxb-0000-outage-test';
const SLACK_SECRET = 'outage-test-signing-secret';
const REPLIES = 13;

describe('no acknowledged reply is lost while the database is down, across a kill -9', () => {
  describe('on Slack', () => {
    let setup: Setup;
    let fake: FakeSlackApi;
    let bot: Bot | null = null;
    beforeAll(async () => {
      setup = await setUpBotProcess();
      expect(promptCount(setup.team)).toBeGreaterThanOrEqual(REPLIES);
      fake = await slackFakeFor(setup.team, SLACK_TOKEN);
    }, 300_000);
    afterAll(() => tearDownBotProcess(setup, bot, async () => fake?.close()));

    it('stores all 13 replies once, in order, confirms each once, and ignores redeliveries', async () => {
      const env = botEnv(setup, { SLACK_BOT_TOKEN: SLACK_TOKEN, SLACK_SIGNING_SECRET: SLACK_SECRET, SLACK_API_URL: fake.apiUrl });
      bot = startBot(env);
      const prompts = await waitFor('every owner’s prompt', bot, () => {
        const found = fake.callsTo('chat.postMessage', 'ok').length >= promptCount(setup.team) && allSlackPrompts(fake, setup.team);
        return found && found.length === promptCount(setup.team) ? found : undefined;
      });
      await waitFor('readiness', bot, () => ready(setup.port));

      await setup.db.stop();
      const url = `http://127.0.0.1:${setup.port}/slack/events`;
      const sent: { body: string; text: string; prompt: SlackMessage }[] = [];
      for (const [i, prompt] of prompts.slice(0, REPLIES).entries()) {
        const text = replyFor(prompt.sectionKind, i);
        const message = fake.userMessage({ channel: prompt.channel, user: prompt.owner, text, threadTs: prompt.message.ts });
        const body = eventEnvelope(fake, imMessageEvent(message), newEventId());
        const answer = await signedPost(url, body, JSON_TYPE, SLACK_SECRET);
        expect(answer.status).toBe(200);
        sent.push({ body, text, prompt: prompt.message });
      }
      await killBot(bot);

      bot = startBot(env);
      setup.db = await startFerretdb(setup.binary, { dataDir: setup.dbDir, port: setup.dbPort });
      const confirmations = () =>
        sent.map((s) => fake.threadReplies(s.prompt.channel, s.prompt.ts).filter((m) => m.user === fake.botUserId && m.text.includes('✅')));
      await waitFor('a confirmation of every reply', bot, () => confirmations().every((c) => c.length >= 1)).catch((e: Error) => {
        throw new Error(
          `${e.message}\n${JSON.stringify(
            fake
              .callsTo('chat.postMessage')
              .slice(-5)
              .map((c) => [c.args.channel, c.args.thread_ts, String(c.args.text).slice(0, 200)]),
          )}`,
        );
      });
      await waitFor('readiness after the restart', bot, () => ready(setup.port));

      // Slack's redeliveries of every one of them, as if our acks had been lost.
      for (const { body } of sent) {
        for (const retryNum of [1, 2, 3]) expect((await signedPost(url, body, JSON_TYPE, SLACK_SECRET, { retryNum })).status).toBe(200);
      }
      await waitFor('the spool to be empty', bot, async () => (await pendingInSpool(setup)) === 0);

      const stored = await storedEvents(setup.uri, setup.team);
      expect(stored.map((s) => s.text).sort()).toEqual(sent.map((s) => s.text).sort());
      expect(new Set(stored.map((s) => s.eventId)).size).toBe(REPLIES);
      const each = confirmations();
      expect(each.map((c) => c.length)).toEqual(sent.map(() => 1));
      expect(each.every(([c]) => c!.text.includes('🕓'))).toBe(true);
      // In arrival order: the spool replays one at a time, each confirmed once stored.
      const confirmedAt = each.map(([c]) => Number(c!.ts));
      expect(confirmedAt).toEqual([...confirmedAt].sort((a, b) => a - b));
    }, 360_000);
  });

  describe('on Feishu', () => {
    let setup: Setup;
    let fake: FakeFeishuOpenApi;
    let bot: Bot | null = null;
    beforeAll(async () => {
      setup = await setUpBotProcess();
      expect(promptCount(setup.team)).toBeGreaterThanOrEqual(REPLIES);
      fake = new FakeFeishuOpenApi({ appId: FEISHU_APP.appId, appSecret: FEISHU_APP.appSecret });
      for (const person of Object.values(setup.team.definition.people)) {
        if (person.feishu) fake.addUser({ open_id: person.feishu, name: person.name ?? person.feishu, email: person.email });
      }
      fake.addGroup(feishuModule.reportChannel(setup.team.definition)!);
      await fake.start();
    }, 300_000);
    afterAll(() => tearDownBotProcess(setup, bot, async () => fake?.stop()));

    it('stores all 13 replies once, in order, confirms each once, and ignores redeliveries', async () => {
      const env = botEnv(setup, {
        FEISHU_APP_ID: FEISHU_APP.appId,
        FEISHU_APP_SECRET: FEISHU_APP.appSecret,
        FEISHU_DOMAIN: fake.url,
        FEISHU_EVENT_MODE: 'webhook',
        FEISHU_ENCRYPT_KEY: FEISHU_APP.encryptKey,
        FEISHU_VERIFICATION_TOKEN: FEISHU_APP.verificationToken,
      });
      bot = startBot(env);
      const prompts = await waitFor('every owner’s prompt', bot, () => {
        const found = allFeishuPrompts(fake, setup.team);
        return found.length === promptCount(setup.team) ? found : undefined;
      });
      await waitFor('readiness', bot, () => ready(setup.port));

      await setup.db.stop();
      const base = `http://127.0.0.1:${setup.port}`;
      const sent: { payload: unknown; text: string; prompt: FeishuMessage }[] = [];
      for (const [i, { owner, sectionKind, message: prompt }] of prompts.slice(0, REPLIES).entries()) {
        const text = replyFor(sectionKind, i);
        const message = fake.userWrites(owner, { msgType: 'text', content: JSON.stringify({ text }), replyTo: prompt.message_id, inThread: true });
        const payload = messageReceived(FEISHU_APP, message);
        expect((await postToFeishuWebhook(base, FEISHU_APP, payload)).status).toBe(200);
        sent.push({ payload, text, prompt });
      }
      await killBot(bot);

      bot = startBot(env);
      setup.db = await startFerretdb(setup.binary, { dataDir: setup.dbDir, port: setup.dbPort });
      const confirmations = () =>
        sent.map((s) =>
          [...fake.messages.values()].filter(
            (m) => m.sender === 'bot' && m.chat_id === s.prompt.chat_id && m.parent_id === s.prompt.message_id && m.content.includes('✅'),
          ),
        );
      await waitFor('a confirmation of every reply', bot, () => confirmations().every((c) => c.length >= 1));
      await waitFor('readiness after the restart', bot, () => ready(setup.port));

      // Feishu delivers again with the same event id when it did not see our answer.
      for (const { payload } of sent) {
        for (let retry = 0; retry < 3; retry++) expect((await postToFeishuWebhook(base, FEISHU_APP, payload)).status).toBe(200);
      }
      await waitFor('the spool to be empty', bot, async () => (await pendingInSpool(setup)) === 0);

      const stored = await storedEvents(setup.uri, setup.team);
      expect(stored.map((s) => s.text).sort()).toEqual(sent.map((s) => s.text).sort());
      expect(new Set(stored.map((s) => s.eventId)).size).toBe(REPLIES);
      const each = confirmations();
      expect(each.map((c) => c.length)).toEqual(sent.map(() => 1));
      expect(each.every(([c]) => c!.content.includes('🕓'))).toBe(true);
      // In arrival order: the spool replays one at a time, each confirmed once stored.
      const sequence = [...fake.messages.values()];
      const confirmedAt = each.map(([c]) => sequence.indexOf(c!));
      expect(confirmedAt).toEqual([...confirmedAt].sort((a, b) => a - b));
    }, 360_000);
  });
});

/** Each owner's prompt card per section on Feishu, in the order of the definition. */
function allFeishuPrompts(fake: FakeFeishuOpenApi, team: Team): { owner: string; sectionKind: string; message: FeishuMessage }[] {
  const found = [];
  for (const section of team.definition.sections) {
    for (const owner of section.owners) {
      const openId = team.definition.people[owner]?.feishu;
      if (!openId) continue;
      const message = fake.chatMessages(fake.p2pChatOf(openId).chat_id).find((m) => formValueOf(m)?.sectionId === section.id);
      if (message) found.push({ owner: openId, sectionKind: section.kind, message });
    }
  }
  return found;
}

/** The i-th reply, valid for its section's kind (an incident needs its time). */
function replyFor(sectionKind: string, i: number): string {
  const text = `停库期间的第 ${i + 1} 条回复`;
  return sectionKind === 'entries' ? `06/03 10:${String(i).padStart(2, '0')} ${text}` : text;
}

async function pendingInSpool(setup: Setup): Promise<number> {
  const text = await readFile(path.join(setup.work, 'data', 'inbound-spool.jsonl'), 'utf8').catch(() => '');
  const pending = new Set<number>();
  for (const line of text.split('\n').filter(Boolean)) {
    const parsed = JSON.parse(line) as { add?: { id: number }; done?: number };
    if (parsed.add) pending.add(parsed.add.id);
    if (parsed.done !== undefined) pending.delete(parsed.done);
  }
  return pending.size;
}

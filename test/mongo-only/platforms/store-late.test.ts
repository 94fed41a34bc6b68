import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { createLogger } from '../../../src/log.ts';
import { feishuModule } from '../../../src/platforms/feishu/module.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../../src/platforms/modules.ts';
import type { Team } from '../../../src/report/definition.ts';
import { isoWeekOf } from '../../../src/report/week.ts';
import { MongoStore } from '../../../src/store/index.ts';
import { FakeFeishuOpenApi } from '../../fakes/feishu-open-api.ts';
import { messageReceived, postToFeishuWebhook } from '../../fakes/feishu-webhook.ts';
import { signedPost, type FakeSlackApi } from '../../fakes/slack-api.ts';
import { eventEnvelope, imMessageEvent, JSON_TYPE } from '../../fakes/slack-payloads.ts';
import { alwaysOpenTemplates, killBot, ready, slackFakeFor, startBot, waitFor, type Bot } from '../../support/bot-process.ts';
import { testDatabaseUri } from '../../support/db.ts';
import { freePort } from '../../support/free-port.ts';
import { APP as FEISHU_APP } from '../../platforms/feishu/harness.ts';

/**
 * Issue #19's acceptance: the bot started with MONGODB_URI pointing at a port where nothing listens
 * answers /readyz 503 within a few seconds; a signed Slack reply and a signed, encrypted Feishu
 * event sent then are acknowledged, and stored once the database is reachable on that port (a TCP
 * proxy to the db project's server, started late), after which /readyz answers 200. Both platforms
 * run in the one process, on the one server on PORT.
 */

const SLACK_TOKEN = 'xoxb-0000-store-late';
const SLACK_SECRET = 'store-late-signing-secret-0123';
/**
 * A process start (tsx compiling the bot: about 3 s here) with room for a busy machine, and no
 * more: nothing before the server listens waits for the database.
 */
const LISTENING_WITHIN_MS = 10_000;

describe('the bot listens before its database is reachable', () => {
  let team: Team;
  let work: string;
  let slack: FakeSlackApi;
  let feishu: FakeFeishuOpenApi;
  let bot: Bot | null = null;
  let proxy: TcpProxy | null = null;
  /** The test's own database, reached directly (the bot reaches it through the proxy). */
  let store: MongoStore;
  let upstream: URL;
  let botUri: string;

  beforeAll(async () => {
    team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    work = await mkdtemp(path.join(tmpdir(), 'store-late-'));
    await alwaysOpenTemplates(path.join(work, 'templates'));
    slack = await slackFakeFor(team, SLACK_TOKEN);
    feishu = new FakeFeishuOpenApi({ appId: FEISHU_APP.appId, appSecret: FEISHU_APP.appSecret });
    for (const person of Object.values(team.definition.people)) {
      if (person.feishu) feishu.addUser({ open_id: person.feishu, name: person.name ?? person.feishu, email: person.email });
    }
    feishu.addGroup(feishuModule.reportChannel(team.definition)!);
    await feishu.start();

    upstream = new URL(testDatabaseUri('store_late'));
    store = await MongoStore.connect(upstream.toString(), {
      logger: createLogger('store-late', { level: 'silent' }),
      retry: { maxAttempts: 3 },
      platforms: PLATFORM_NAMES,
    });
    // The same database through a port where nothing listens yet; straight to that server, not to
    // the members it would name (they are not behind the proxy).
    const viaProxy = new URL(upstream);
    viaProxy.host = `127.0.0.1:${await freePort()}`;
    viaProxy.searchParams.delete('replicaSet');
    viaProxy.searchParams.set('directConnection', 'true');
    botUri = viaProxy.toString();
  }, 120_000);

  afterAll(async () => {
    if (bot) await killBot(bot);
    await proxy?.close();
    await slack?.close();
    await feishu?.stop();
    if (store) {
      await store.connection.dropDatabase().catch(() => {});
      await store.close();
    }
    if (work) await rm(work, { recursive: true, force: true });
  });

  it('answers /readyz 503 at once, acknowledges a Slack reply and a Feishu reply, and stores them once the database is reachable', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const spawnedAt = Date.now();
    bot = startBot({
      SLACK_BOT_TOKEN: SLACK_TOKEN,
      SLACK_SIGNING_SECRET: SLACK_SECRET,
      SLACK_API_URL: slack.apiUrl,
      FEISHU_APP_ID: FEISHU_APP.appId,
      FEISHU_APP_SECRET: FEISHU_APP.appSecret,
      FEISHU_DOMAIN: feishu.url,
      FEISHU_EVENT_MODE: 'webhook',
      FEISHU_ENCRYPT_KEY: FEISHU_APP.encryptKey,
      FEISHU_VERIFICATION_TOKEN: FEISHU_APP.verificationToken,
      PORT: String(port),
      MONGODB_URI: botUri,
      DATA_DIR: path.join(work, 'data'),
      TEMPLATES_DIR: path.join(work, 'templates'),
    });

    const notReady = await waitFor('/readyz to answer', bot, () => get(base, '/readyz'), LISTENING_WITHIN_MS);
    expect(Date.now() - spawnedAt).toBeLessThan(LISTENING_WITHIN_MS);
    expect(notReady).toEqual({ status: 503, body: { ready: false } });
    expect(await get(base, '/healthz')).toMatchObject({ status: 503, body: { status: 'degraded', ready: false, store: { ok: false, kind: 'none' } } });
    // The platforms' routes answer once their runtimes have started (auth.test, bot info), which needs no database.
    await waitFor(
      'both platforms to receive',
      bot,
      () => /Slack: receiving events over HTTP/.test(bot!.output()) && /Feishu: receiving events over the webhook/.test(bot!.output()),
      LISTENING_WITHIN_MS,
    );

    const slackOwner = team.definition.people['owner-o1']!.slack!;
    const slackText = '1. 数据库连上之前从 Slack 发的回复';
    const slackMessage = slack.userMessage({ channel: slack.dmChannelOf(slackOwner), user: slackOwner, text: slackText });
    expect((await signedPost(`${base}/slack/events`, eventEnvelope(slack, imMessageEvent(slackMessage)), JSON_TYPE, SLACK_SECRET)).status).toBe(200);

    const feishuOwner = team.definition.people['owner-o3']!.feishu!;
    const feishuText = '1. 数据库连上之前从飞书发的回复';
    const feishuMessage = feishu.userWrites(feishuOwner, { msgType: 'text', content: JSON.stringify({ text: feishuText }) });
    expect((await postToFeishuWebhook(base, FEISHU_APP, messageReceived(FEISHU_APP, feishuMessage))).status).toBe(200);
    expect((await get(base, '/readyz'))?.status).toBe(503);

    const confirmations = () => ({
      slack: slack.botMessages(slack.dmChannelOf(slackOwner)).filter((m) => m.text.includes('✅') && m.text.includes('🕓')),
      feishu: feishu
        .chatMessages(feishu.p2pChatOf(feishuOwner).chat_id, { all: true })
        .filter((m) => m.sender === 'bot' && m.content.includes('✅') && m.content.includes('🕓')),
    });

    // The database comes up on the port the bot was given.
    proxy = await startTcpProxy(Number(new URL(botUri).port), upstream.hostname, Number(upstream.port || 27017));
    const week = isoWeekOf(new Date(), team.definition.timeZone);
    const answers = async () => ({
      o1: await store.submissionHistory({ teamId: team.definition.id, week, sectionId: 'o1', owner: 'owner-o1' }),
      o3: await store.submissionHistory({ teamId: team.definition.id, week, sectionId: 'o3', owner: 'owner-o3' }),
    });
    const stored = await waitFor('both replies to be stored', bot, async () => {
      const found = await answers();
      return found.o1.length > 0 && found.o3.length > 0 ? found : undefined;
    });
    expect(stored.o1.map((s) => [s.platform, s.rawText])).toEqual([['slack', slackText]]);
    expect(stored.o3.map((s) => [s.platform, s.rawText])).toEqual([['feishu', feishuText]]);
    await waitFor('readiness', bot, () => ready(port));
    expect(await get(base, '/healthz')).toMatchObject({ status: 200, body: { status: 'ok', ready: true, store: { ok: true, kind: 'mongo' } } });
    // Each owner is told, once, that the reply was kept while the store was away.
    await waitFor('the confirmations', bot, () => confirmations().slack.length > 0 && confirmations().feishu.length > 0);
    expect(confirmations().slack).toHaveLength(1);
    expect(confirmations().feishu).toHaveLength(1);
    expect((await answers()).o1).toHaveLength(1);
    expect((await answers()).o3).toHaveLength(1);
  }, 240_000);
});

/** GET as a probe does: the status and the JSON body, or undefined while nothing listens. */
async function get(base: string, path: string): Promise<{ status: number; body: unknown } | undefined> {
  try {
    const response = await fetch(`${base}${path}`);
    return { status: response.status, body: await response.json() };
  } catch {
    return undefined;
  }
}

interface TcpProxy {
  close(): Promise<void>;
}

/** Listens on `port` and pipes every connection to `host:targetPort`: the database appearing on the bot's port. */
async function startTcpProxy(port: number, host: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    const target = connect(targetPort, host);
    for (const socket of [client, target]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => {
        client.destroy();
        target.destroy();
      });
    }
    client.pipe(target).pipe(client);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

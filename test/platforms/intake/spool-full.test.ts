import { mkdtemp, open, rm, type FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { createLogger } from '../../../src/log.ts';
import { DurableIntake } from '../../../src/platforms/intake/intake.ts';
import { SPOOL_FILE } from '../../../src/platforms/intake/spool.ts';
import { messageReceived } from '../../fakes/feishu-webhook.ts';
import { imMessageEvent } from '../../fakes/slack-payloads.ts';
import { APP, formValueOf, startFeishuHarness, type FeishuHarness } from '../feishu/harness.ts';
import { findPrompt, startSlackHarness, type LogLine, type SlackHarness } from '../slack/harness.ts';

/** What Node rejects a write with when the disk is full. */
function noSpace(): NodeJS.ErrnoException {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { errno: -28, code: 'ENOSPC', syscall: 'write' });
}

/**
 * A full disk under the spool (issue #20, b): the delivery is refused with a 500 (the platform
 * delivers it again), and the log says so in exactly one error line that names the spool's file
 * and the system's error, so that whoever reads it knows where to make room.
 */
describe('a spool on a full disk', () => {
  let dir: string;
  let slack: SlackHarness | undefined;
  let feishu: FeishuHarness | undefined;
  const intakeLogs: LogLine[] = [];
  let full = false;

  /** The spool's own file, whose writes fail with ENOSPC once `full`. */
  async function intakeOnDisk(): Promise<DurableIntake> {
    dir = await mkdtemp(path.join(tmpdir(), 'spool-full-'));
    const logger = createLogger('intake-test', { level: 'info', destination: { write: (line: string) => void intakeLogs.push(JSON.parse(line) as LogLine) } });
    const openFile = async (file: string, flags: string): Promise<FileHandle> => {
      const handle = await open(file, flags);
      return new Proxy(handle, {
        get(target, prop) {
          if (prop === 'write' && full) return () => Promise.reject(noSpace());
          const value = Reflect.get(target, prop, target) as unknown;
          return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
        },
      });
    };
    return DurableIntake.open(dir, { logger, storeAvailable: async () => true, openFile });
  }

  afterEach(async () => {
    await slack?.close();
    await feishu?.close();
    slack = feishu = undefined;
    full = false;
    intakeLogs.length = 0;
    await rm(dir, { recursive: true, force: true });
  });

  const errorLines = (logs: LogLine[]) => [...logs, ...intakeLogs].filter((l) => l.level >= 50).map((l) => JSON.stringify(l));

  it('on Slack: answers 500, stores nothing, and logs one error line naming the file and ENOSPC', async () => {
    const intake = await intakeOnDisk();
    slack = await startSlackHarness('slack_spool_full', { intake });
    await runDueJobs(slack.ctx, slack.team, 'test-holder');
    const owner = slack.slackId('owner-o1');
    const prompt = findPrompt(slack, owner, 'o1');
    full = true;
    const answer = await slack.sendEvent(
      imMessageEvent(slack.fake.userMessage({ channel: prompt.channel, user: owner, text: '1. 第一件事', threadTs: prompt.ts })),
    );

    expect(answer.status).toBe(500);
    expect(await slack.store.latestSubmissions('payments-weekly', '2024-W23')).toEqual([]);
    const errors = errorLines(slack.logs);
    expect(errors, errors.join('\n')).toHaveLength(1);
    expect(errors[0]).toContain(path.join(dir, SPOOL_FILE));
    expect(errors[0]).toContain('ENOSPC');
  });

  it('on Feishu: answers 500, stores nothing, and logs one error line naming the file and ENOSPC', async () => {
    const intake = await intakeOnDisk();
    feishu = await startFeishuHarness('feishu_spool_full', { intake });
    await runDueJobs(feishu.ctx, feishu.team, 'test-holder');
    const owner = feishu.openId('owner-o1');
    const prompt = feishu.fake.chatMessages(feishu.fake.p2pChatOf(owner).chat_id).find((m) => formValueOf(m)?.sectionId === 'o1')!;
    full = true;
    const written = feishu.fake.userWrites(owner, {
      msgType: 'text',
      content: JSON.stringify({ text: '1. 第一件事' }),
      replyTo: prompt.message_id,
      inThread: true,
    });
    const answer = await feishu.deliver(messageReceived(APP, written));

    expect(answer.status).toBe(500);
    expect(await feishu.store.latestSubmissions('payments-weekly', '2024-W23')).toEqual([]);
    const errors = errorLines(feishu.logs);
    expect(errors, errors.join('\n')).toHaveLength(1);
    expect(errors[0]).toContain(path.join(dir, SPOOL_FILE));
    expect(errors[0]).toContain('ENOSPC');
  });
});

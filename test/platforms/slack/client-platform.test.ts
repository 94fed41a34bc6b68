import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/log.ts';
import { readAnswerSubmission } from '../../../src/platforms/slack/answer-form.ts';
import { createSlackWebClient } from '../../../src/platforms/slack/app.ts';
import { SlackPlatform } from '../../../src/platforms/slack/client-platform.ts';
import type { SlackConfig } from '../../../src/platforms/slack/config.ts';
import type { AnswerForm } from '../../../src/platforms/platform.ts';
import { FakeSlackApi } from '../../fakes/slack-api.ts';
import { viewSubmissionPayload } from '../../fakes/slack-payloads.ts';
import { VirtualClock } from '../../support/manual-clock.ts';
import { BOT_TOKEN, FAST_RETRIES } from './harness.ts';

const CHANNEL = 'C0000000001';
const OWNER = 'U0000000004';

describe('SlackPlatform against the fake Web API', () => {
  let fake: FakeSlackApi;
  let slack: SlackPlatform;
  // Messages to one channel are paced a second apart, on this clock: virtual, no real waits.
  const clock = new VirtualClock();

  beforeAll(async () => {
    fake = await FakeSlackApi.start({
      token: BOT_TOKEN,
      users: [{ id: OWNER, name: 'owner-o1', realName: 'Owner O1', email: 'owner4@example.com' }],
      channels: [CHANNEL],
      clock,
    });
  });
  beforeEach(() => {
    const config: SlackConfig = { botToken: BOT_TOKEN, apiUrl: fake.apiUrl, transport: { mode: 'http', signingSecret: 'unused-secret' } };
    slack = new SlackPlatform(createSlackWebClient(config, { logger: createLogger('test'), retryConfig: FAST_RETRIES, clock }));
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('opens a DM once per user and sends into it', async () => {
    const opensBefore = fake.callsTo('conversations.open').length;
    const first = await slack.sendDirect(OWNER, { text: 'one' });
    const second = await slack.sendDirect(OWNER, { text: 'two' });
    expect(fake.callsTo('conversations.open').length - opensBefore).toBe(1);
    expect(first.channel).toBe(fake.dmChannelOf(OWNER));
    expect(fake.message(first.channel, second.messageId)?.text).toBe('two');
    // Every call carried the bot token as a bearer token.
    expect(fake.calls.every((c) => c.token === BOT_TOKEN)).toBe(true);
  });

  it('escapes &, < and > in text, so Slack shows them as typed', async () => {
    const ref = await slack.postToChannel(CHANNEL, { text: 'a < b && c > d <@U123>' });
    expect(fake.message(CHANNEL, ref.messageId)?.text).toBe('a &lt; b &amp;&amp; c &gt; d &lt;@U123&gt;');
  });

  it('puts a prompt with a form in a section and a button carrying the section', async () => {
    const form: AnswerForm = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', title: '【O1 业务服务】', prefill: '', locale: 'zh-CN' };
    const ref = await slack.sendDirect(OWNER, { text: '📝 请填写 【O1 业务服务】', answerForm: form });
    const blocks = fake.message(ref.channel, ref.messageId)?.blocks as {
      type: string;
      elements?: { action_id: string; value: string; text: { text: string } }[];
    }[];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'actions']);
    const button = blocks[1]!.elements![0]!;
    expect(button).toMatchObject({ action_id: 'open_answer_form', text: { text: '填写' } });
    expect(JSON.parse(button.value)).toEqual({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1' });
  });

  it('splits text longer than a message allows into sections of at most 3,000 characters', async () => {
    const paragraph = (i: number) => `${i}. ${'长'.repeat(900)}`;
    const text = Array.from({ length: 12 }, (_, i) => paragraph(i)).join('\n\n');
    const ref = await slack.postToChannel(CHANNEL, { text });
    const message = fake.message(CHANNEL, ref.messageId)!;
    const sections = (message.blocks as { type: string; text: { text: string } }[]).map((b) => b.text.text);
    expect(sections.length).toBeGreaterThan(3);
    expect(sections.every((s) => [...s].length <= 3000)).toBe(true);
    expect(sections.join('\n\n')).toBe(text);
    expect([...message.text].length).toBeLessThanOrEqual(4000);
  });

  it('renders a confirmation around a Markdown preview as section, markdown block, section', async () => {
    const preview = '## 【O1 业务服务】\n\n1. 存管路由专项';
    const ref = await slack.postToChannel(CHANNEL, { text: `✅ 已收到（第 1 版）：\n\n${preview}\n\n如需修改…`, markdown: preview });
    const blocks = fake.message(CHANNEL, ref.messageId)!.blocks as { type: string; text: unknown }[];
    expect(blocks.map((b) => b.type)).toEqual(['section', 'markdown', 'section']);
    expect(blocks[1]!.text).toBe(preview);
  });

  it('replies in a thread, and updates a message (clearing blocks it no longer has)', async () => {
    const parent = await slack.postToChannel(CHANNEL, { text: 'header' });
    const part = await slack.replyInThread(parent, { text: 'r: 1', markdown: '# report' });
    expect(fake.threadReplies(CHANNEL, parent.messageId).map((m) => m.ts)).toEqual([part.messageId]);
    await slack.updateMessage(part, { text: '—' });
    expect(fake.message(CHANNEL, part.messageId)).toMatchObject({ text: '—', edits: 1 });
    expect(fake.message(CHANNEL, part.messageId)!.blocks).toBeUndefined();
  });

  it('uploads a file with the external upload flow into a thread', async () => {
    const parent = await slack.postToChannel(CHANNEL, { text: 'header' });
    const content = '# 2024-W23\n\n中文 & <markdown>\n';
    const ref = await slack.uploadFile(CHANNEL, { filename: 'r.md', title: '2024-W23', content }, parent);
    const file = fake.files.find((f) => f.id === ref.messageId)!;
    expect(file).toMatchObject({ filename: 'r.md', title: '2024-W23', content, channel: CHANNEL, threadTs: parent.messageId, completed: true });
    expect(fake.callsTo('files.getUploadURLExternal').at(-1)!.args).toMatchObject({ filename: 'r.md', length: String(Buffer.byteLength(content)) });
    expect(fake.threadReplies(CHANNEL, parent.messageId).at(-1)!.files).toEqual([ref.messageId]);
  });

  it('opens a modal prefilled with a long text over several inputs that join back to it', async () => {
    const lines = Array.from({ length: 60 }, (_, i) => `${i + 1}. ${'事项进度说明'.repeat(20)}`);
    const prefill = `${lines.slice(0, 30).join('\n')}\n\n${lines.slice(30).join('\n')}`;
    expect([...prefill].length).toBeGreaterThan(7000);
    const form: AnswerForm = {
      teamId: 'payments-weekly',
      week: '2024-W23',
      sectionId: 'o1',
      title: '【430改进落地以及支付安全治理】很长的标题',
      prefill,
      locale: 'zh-CN',
    };

    await slack.openAnswerForm('trigger-1', form);

    const view = fake.views.at(-1)!;
    const title = (view.view.title as { text: string }).text;
    expect([...title].length).toBeLessThanOrEqual(24);
    const inputs = (view.view.blocks as { type: string; element?: { initial_value?: string; max_length: number } }[]).filter((b) => b.type === 'input');
    expect(inputs.length).toBeGreaterThanOrEqual(4);
    expect(inputs.every((b) => b.element!.max_length === 3000 && [...(b.element!.initial_value ?? '')].length <= 2000)).toBe(true);

    const submitted = viewSubmissionPayload(fake, { user: OWNER, view });
    expect(readAnswerSubmission(submitted.view)).toMatchObject({ ref: { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1' }, text: prefill });
  });

  it('refuses to reuse a trigger id, as Slack does', async () => {
    const form: AnswerForm = { teamId: 'r', week: '2024-W23', sectionId: 'o1', title: 'O1', prefill: 'x', locale: 'zh-CN' };
    await slack.openAnswerForm('trigger-2', form);
    await expect(slack.openAnswerForm('trigger-2', form)).rejects.toThrow(/expired_trigger_id/);
  });

  it('looks users up by e-mail', async () => {
    expect(await slack.lookupUserByEmail('owner4@example.com')).toBe(OWNER);
    expect(await slack.lookupUserByEmail('nobody@example.com')).toBeNull();
  });

  it('surfaces Slack’s error for a channel the bot is not in', async () => {
    await expect(slack.postToChannel('C0NOTMEMBER', { text: 'hi' })).rejects.toThrow(/channel_not_found/);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../handlers/cycle/jobs.ts';
import { compileWeek } from '../../handlers/cycle/publish.ts';
import { feishuModule } from '../../src/platforms/feishu/module.ts';
import { canvasMarkdown } from '../../src/platforms/slack/canvas-markdown.ts';
import { slackModule } from '../../src/platforms/slack/module.ts';
import type { SectionDefinition, Team } from '../../src/report/definition.ts';
import { messageReceived } from '../fakes/feishu-webhook.ts';
import type { FakeMessage } from '../fakes/slack-api.ts';
import { imMessageEvent, slackTextOf } from '../fakes/slack-payloads.ts';
import { hostileInputs, loadPaymentsTeam, sectionOf, TARGET_SECTIONS } from '../report/hostile-corpus.ts';
import { documentOutline, expectedOutline, outlineDifferences, PARSERS } from '../report/markdown-outline.ts';
import { controlsShown, ownerTextKept, withoutListMarkers } from '../report/owner-text-check.ts';
import { liveMarkup, sectionSlice, squash, titleLine } from '../report/document-checks.ts';
import { APP, formValueOf, markdownOf as feishuMarkdownOf, startFeishuHarness, textOf, type FeishuHarness } from './feishu/harness.ts';
import { findPrompt, markdownOf as slackMarkdownOf, startSlackHarness, unescapeMrkdwn, type SlackHarness } from './slack/harness.ts';

/**
 * The hostile corpus (test/fixtures/hostile/) through one whole week on each platform, against the
 * fakes: the owners send every input as a thread reply to their prompt, the week is published on
 * Friday, and what was posted (the `.md` file and the report's messages) is read back. Every input
 * is answered (✅ with a preview, or ⚠️ saying why); the posted document keeps the layout's outline,
 * every accepted character in its section, no live HTML or unsafe link; the report's messages carry
 * the whole document; the fakes refused nothing (they refuse messages over the platforms' limits).
 *
 * test/report/hostile.test.ts runs each input in every section kind; here each input is sent once
 * or twice, so that a week stays within a minute: Slack posts at most one message a second to a
 * channel, and every reply is answered in its owner's DM, so the replies are spread over owners.
 */

const WEEK = '2024-W23';

/** Longer inputs get a section of their own: a section holds at most 20,000 characters in all. */
const LONG_INPUT = 1_000;
/** One per long input: lists under a title bullet, under an h2 and under the h1, and a text section. */
const LONG_INPUT_SECTIONS = ['decoration-escrow', 'reflections', 'o3', 'next-week', 'o4', 'payment-safety'];
/** Every short input goes into one of these lists, and into the text or the entries section in turn. */
const SHORT_LIST_SECTIONS = ['beiyizhuan', 'o1', 'o2', 'other'];
const TEXT_SECTION = 'metrics';
const ENTRIES_SECTION = 'incidents';

/** One message an owner sends: a hostile input, as typed into a section's prompt thread. */
interface Delivery {
  /** The fixture's name. */
  name: string;
  section: SectionDefinition;
  owner: string;
  /** What the owner typed. */
  typed: string;
}

/** What came back for one delivery: the HTTP status of the event, and the bot's new messages in the thread. */
interface Answer {
  status: number;
  /** Each message's text. */
  said: string[];
  /** Everything the messages show, Markdown and text, as the owner reads it. */
  shown: string;
}

/** The replies of the week, in the order each owner sends them. */
function deliveries(team: Team): Delivery[] {
  const inputs = hostileInputs();
  const long = inputs.filter(({ text }) => [...text].length > LONG_INPUT);
  const short = inputs.filter(({ text }) => [...text].length <= LONG_INPUT);
  if (long.length > LONG_INPUT_SECTIONS.length) throw new Error(`${long.length} long hostile inputs, ${LONG_INPUT_SECTIONS.length} sections for them: add one`);
  const to = (sectionId: string, name: string, typed: string): Delivery => {
    const section = sectionOf(team, sectionId);
    return { name, section, owner: section.owners[0]!, typed };
  };
  return [
    ...long.map(({ name, text }, i) => to(LONG_INPUT_SECTIONS[i]!, name, text)),
    ...short.flatMap(({ name, text }, i) => [
      to(SHORT_LIST_SECTIONS[i % SHORT_LIST_SECTIONS.length]!, name, text),
      i % 2 === 0 ? to(TEXT_SECTION, name, text) : to(ENTRIES_SECTION, name, asIncident(text, i)),
    ]),
  ];
}

/**
 * The input as the lines of one incident, as hostile-corpus.ts's entries route has it: after a
 * timestamped first line (later inputs later), without blank lines, which would start an entry
 * without a time.
 */
function asIncident(text: string, i: number): string {
  const time = `06/04 ${String(10 + Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}`;
  return `${time} 事件\n${text.replace(/\n[ \t]*(?=\n)/g, '')}`;
}

/**
 * Sends every delivery: one owner's in order (each message is added to the section's answer), the
 * owners at the same time, so that the one-message-a-second pacing of each DM overlaps.
 */
async function deliverAll(all: Delivery[], send: (delivery: Delivery) => Promise<Answer>): Promise<Map<Delivery, Answer>> {
  const byOwner = new Map<string, Delivery[]>();
  for (const delivery of all) byOwner.set(delivery.owner, [...(byOwner.get(delivery.owner) ?? []), delivery]);
  const answers = new Map<Delivery, Answer>();
  await Promise.all(
    [...byOwner.values()].map(async (own) => {
      for (const delivery of own) answers.set(delivery, await send(delivery));
    }),
  );
  return answers;
}

/**
 * Every delivery was acknowledged and answered in its thread: a confirmation (the section's next
 * revision, with its preview) or a refusal. Returns the accepted ones, in the order sent.
 */
function expectEachAnswered(all: Delivery[], answers: Map<Delivery, Answer>): Delivery[] {
  const revisions = new Map<string, number>();
  const accepted: Delivery[] = [];
  for (const delivery of all) {
    const where = `${delivery.name} in ${delivery.section.id}`;
    const answer = answers.get(delivery)!;
    expect(answer.status, `${where}: HTTP status`).toBe(200);
    expect(answer.said.length, `${where}: answered in its thread`).toBeGreaterThan(0);
    const [first = ''] = answer.said;
    expect(first, `${where}: a confirmation or a refusal`).toMatch(/^(✅|⚠️)/u);
    if (!first.startsWith('✅')) continue;
    const revision = (revisions.get(delivery.section.id) ?? 0) + 1;
    revisions.set(delivery.section.id, revision);
    expect(first, `${where}: the section's revision`).toContain(`✅ 已收到 ${delivery.section.title}（第 ${revision} 版），整个部分将在周报中显示为：`);
    accepted.push(delivery);
  }
  return accepted;
}

/**
 * The posted `.md` and report messages against the layout and what the owners typed: the outline of
 * the layout under every parser, each section holding its accepted replies' characters in the order
 * sent, as the last confirmation previewed it, no raw HTML or unsafe link target, no hidden control
 * character, and messages that together carry the whole document.
 */
function expectPostedReport(
  team: Team,
  values: { title: string; created: string; week: string },
  posted: { file: string; messages: string[] },
  accepted: Delivery[],
  answers: Map<Delivery, Answer>,
): void {
  const { file, messages } = posted;
  const expected = expectedOutline(team, values);
  for (const [name, md] of Object.entries(PARSERS)) {
    expect(outlineDifferences(documentOutline(file, md), expected), `outline of the posted .md under markdown-it ${name}`).toEqual([]);
  }

  const { sections } = team.definition;
  for (const section of sections) {
    const own = accepted.filter((d) => d.section === section);
    if (own.length === 0) continue;
    const slice = sectionSlice(file, section, sections);
    // Each reply is added after the ones before it: the section holds them all, in that order.
    let typed = '';
    for (const delivery of own) {
      typed += `${withoutListMarkers(delivery.typed)}\n`;
      expect(ownerTextKept(typed, slice), `${delivery.name} in ${section.id}: owner text kept`).toEqual({ ok: true });
    }
    const preview = squash(answers.get(own.at(-1)!)!.shown);
    expect(preview.includes(squash(`${titleLine(section)}\n${slice}`)), `${section.id}: the last confirmation previews the section as published`).toBe(true);
  }
  expect(controlsShown(accepted.map((d) => d.typed).join('\n'), file), 'control characters').toEqual({ ok: true });

  expect(liveMarkup(file), 'raw HTML and link targets').toEqual({ html: [], unsafeTargets: [] });

  expect(squash(messages.join('')), 'the report messages carry the whole document').toBe(squash(file));
}

/** A Slack message as read: its markdown blocks, and its mrkdwn sections (a preview over 12,000 characters) unescaped. */
function slackShown(message: FakeMessage): string {
  if (!message.blocks) return unescapeMrkdwn(message.text);
  return (message.blocks as { type: string; text?: string | { text: string } }[])
    .map((b) =>
      b.type === 'markdown' && typeof b.text === 'string' ? b.text : b.type === 'section' && typeof b.text === 'object' ? unescapeMrkdwn(b.text.text) : '',
    )
    .join('\n');
}

it('sends every input of the corpus, into sections of every kind', async () => {
  const all = deliveries(await loadPaymentsTeam());
  expect(new Set(all.map((d) => d.name))).toEqual(new Set(hostileInputs().map((i) => i.name)));
  expect(new Set(all.map((d) => d.section.kind))).toEqual(new Set(['list', 'text', 'entries']));
  expect(all.map((d) => d.section.id)).toEqual(expect.arrayContaining([...TARGET_SECTIONS]));
});

describe('the hostile corpus through a week on Slack', () => {
  let h: SlackHarness;

  beforeAll(async () => {
    h = await startSlackHarness('slack_hostile_week');
    // The week's canvas too: the fake refuses what canvases do not take.
    const { definition } = h.team;
    definition.post = { ...definition.post, slack: { ...(definition.post.slack as object), canvas: true } };
  });
  afterAll(async () => {
    await h?.close();
  });

  it('answers every input, and posts a report with the layout’s outline and every accepted character', async () => {
    const { team, fake } = h;
    const all = deliveries(team);

    await runDueJobs(h.ctx, team, 'test-holder');
    h.setNow('2024-06-05T10:00:00+08:00');
    const answers = await deliverAll(all, async (delivery) => {
      const user = h.slackId(delivery.owner);
      const prompt = findPrompt(h, user, delivery.section.id);
      const botReplies = () => fake.threadReplies(prompt.channel, prompt.ts).filter((m) => m.user === fake.botUserId);
      const before = botReplies().length;
      // The client sends typed text with `&`, `<`, `>` escaped (and bare URLs as `<url>`).
      const message = fake.userMessage({ channel: prompt.channel, user, text: slackTextOf(delivery.typed), threadTs: prompt.ts });
      const { status } = await h.sendEvent(imMessageEvent(message));
      const said = botReplies().slice(before);
      return { status, said: said.map((m) => m.text), shown: said.map(slackShown).join('\n') };
    });
    const accepted = expectEachAnswered(all, answers);
    expect(accepted.length).toBeGreaterThan(all.length / 2);

    h.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(h.ctx, team, 'test-holder');

    const channel = slackModule.reportChannel(team.definition)!;
    const [header, ...others] = fake.channelMessages(channel);
    expect(others).toEqual([]);
    const thread = fake.threadReplies(channel, header!.ts);
    const files = fake.files.filter((f) => f.channel === channel && f.filename.endsWith('.md'));
    expect(files.map((f) => f.filename)).toEqual([`${team.definition.id}-${WEEK}.md`]);
    expect(thread.filter((m) => m.files?.includes(files[0]!.id))).toHaveLength(1);

    const cycle = (await h.store.getCycle(team.definition.id, WEEK))!;
    expect(cycle.status).toBe('published');
    const values = await compileWeek(h.ctx, team, cycle);
    expectPostedReport(team, values, { file: files[0]!.content!, messages: thread.flatMap(slackMarkdownOf) }, accepted, answers);
    // The canvas holds the same document, mapped to canvas Markdown, and Slack took it (no refused call below).
    expect(fake.canvases.map((c) => c.markdown)).toEqual([canvasMarkdown(files[0]!.content!)]);

    expect(
      fake.calls.filter((c) => c.outcome === 'error').map((c) => `${c.method}: ${c.error}`),
      'calls Slack refused',
    ).toEqual([]);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  }, 120_000);
});

describe('the hostile corpus through a week on Feishu', () => {
  let bot: FeishuHarness;

  beforeAll(async () => {
    bot = await startFeishuHarness('feishu_hostile_week');
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('answers every input, and posts a report with the layout’s outline and every accepted character', async () => {
    const { team, fake } = bot;
    const all = deliveries(team);

    await runDueJobs(bot.ctx, team, 'test-holder');
    bot.setNow('2024-06-05T10:00:00+08:00');
    const promptOf = (delivery: Delivery) => {
      const chat = fake.p2pChatOf(bot.openId(delivery.owner)).chat_id;
      const prompt = fake.chatMessages(chat).find((m) => formValueOf(m)?.sectionId === delivery.section.id);
      if (!prompt) throw new Error(`no prompt for ${delivery.section.id} in the chat of ${delivery.owner}`);
      return prompt;
    };
    const answers = await deliverAll(all, async (delivery) => {
      const prompt = promptOf(delivery);
      const botReplies = () => fake.threadOf(prompt.message_id).filter((m) => m.sender === 'bot');
      const before = botReplies().length;
      // Feishu's text content is the text as typed.
      const message = fake.userWrites(bot.openId(delivery.owner), {
        msgType: 'text',
        content: JSON.stringify({ text: delivery.typed }),
        replyTo: prompt.message_id,
        inThread: true,
      });
      const { status } = await bot.deliver(messageReceived(APP, message));
      const said = botReplies().slice(before).map(textOf);
      return { status, said, shown: said.join('\n') };
    });
    const accepted = expectEachAnswered(all, answers);
    expect(accepted.length).toBeGreaterThan(all.length / 2);

    bot.setNow('2024-06-07T17:00:00+08:00');
    await runDueJobs(bot.ctx, team, 'test-holder');

    const group = feishuModule.reportChannel(team.definition)!;
    const [header, ...others] = fake.chatMessages(group).filter((m) => m.sender === 'bot');
    expect(others).toEqual([]);
    const thread = fake.threadOf(header!.message_id);
    const fileMessages = thread.filter((m) => m.msg_type === 'file');
    expect(fileMessages).toHaveLength(1);
    const file = fake.files.get((JSON.parse(fileMessages[0]!.content) as { file_key: string }).file_key)!;
    expect(file.file_name).toBe(`${team.definition.id}-${WEEK}.md`);

    const cycle = (await bot.store.getCycle(team.definition.id, WEEK))!;
    expect(cycle.status).toBe('published');
    const values = await compileWeek(bot.ctx, team, cycle);
    const parts = thread.filter((m) => m.msg_type === 'interactive').map(feishuMarkdownOf);
    expectPostedReport(team, values, { file: file.content.toString('utf8'), messages: parts }, accepted, answers);

    expect(
      fake.calls.filter((c) => c.code !== 0).map((c) => `${c.api}: ${c.code}`),
      'calls Feishu refused',
    ).toEqual([]);
    expect(bot.logs.filter((l) => l.level >= 50)).toEqual([]);
  }, 120_000);
});

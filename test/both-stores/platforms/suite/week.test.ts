import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { parseReply } from '../../../../src/report/parse/index.ts';
import { renderSectionBody } from '../../../../src/report/render/section-markdown.ts';
import { seedReply } from '../../../support/bot.ts';
import { EXPECTED_MD } from '../../../support/golden.ts';
import { ownedByPerson, type Prompt } from '../../../platforms/suite/platform-harness.ts';
import { PLATFORMS, type PlatformHarness } from '../../../platforms/suite/platforms.ts';

const TEAM = 'payments-weekly';
const WEEK = '2024-W23';
const W22_METRICS = '支付成功率：\n\n- 入金有效成功率：99.950%\n- 出金有效成功率：99.960%';
const O2_FIRST_DRAFT = seedReply('o2').split('\n').slice(0, 3).join('\n');

/**
 * The acceptance run: a whole week of payments-weekly on each platform, from Tuesday's prompts to
 * the published report, which must equal seeds/2024-W23/expected.md, and a late answer after it.
 * What each platform shows in its own way (Slack blocks and modals, Feishu cards, posts and
 * menus) is in its own week.test.ts beside this folder.
 */
describe.each(PLATFORMS)('a whole week of payments-weekly on $name', (platform) => {
  const { capabilities } = platform;
  let h: PlatformHarness;

  beforeAll(async () => {
    h = await platform.start('week');
    // Last week's metrics, which this week's metrics prompt and form show.
    const metrics = h.team.definition.sections.find((s) => s.id === 'metrics')!;
    const parsed = parseReply({ source: 'text', text: W22_METRICS }, metrics);
    if (!parsed.ok) throw new Error(parsed.error.message);
    await h.store.recordSubmission({
      teamId: TEAM,
      week: '2024-W22',
      sectionId: 'metrics',
      owner: 'owner-metrics',
      platform: h.name,
      eventId: 'seed:2024-W22:metrics',
      rawText: W22_METRICS,
      content: parsed.content,
      receivedAt: new Date('2024-05-31T10:00:00+08:00'),
    });
  });
  afterAll(async () => {
    await h?.close();
  });

  const confirmations = (prompt: Prompt) => h.thread(prompt.ref).filter((m) => m.text.startsWith('✅'));
  const history = (sectionId: string, owner: string) => h.store.submissionHistory({ teamId: TEAM, week: WEEK, sectionId, owner });

  it('prompts every owner once per section they own, on Tuesday 15:34', async () => {
    await runDueJobs(h.ctx, h.team, h.holder);

    for (const [person, owned] of Object.entries(ownedByPerson(h.team))) {
      const prompts = await h.promptsOf(person);
      expect(prompts.map((p) => p.sectionId).sort(), person).toEqual(owned);
      for (const prompt of prompts) expect(prompt, person).toMatchObject({ teamId: TEAM, week: WEEK });
    }
    expect(h.sent()).toHaveLength(13);
    expect(await h.store.getCycle(TEAM, WEEK)).toMatchObject({ createdAt: new Date('2024-06-04T15:34:00+08:00') });
    // The prompt says what to write and by when, and shows last week's answer.
    const metrics = await h.prompt('owner-metrics', 'metrics');
    expect(metrics.text).toContain('请填写 【系统运行数据】，截止 6月7日 周五 17:00');
    expect(metrics.text).toContain('支付成功率、系统可用性、待追款');
    expect(metrics.text).toContain('99.950%');
  });

  it('takes replies in the prompts’ threads, and a message outside any thread as the owner’s only open section', async () => {
    h.setNow('2024-06-05T10:00:00+08:00');
    const inThreads: [string, string][] = [
      ['owner-beiyizhuan', 'beiyizhuan'],
      ['owner-escrow', 'decoration-escrow'],
      ['owner-safety', 'payment-safety'],
      ['owner-o1', 'o1'],
      ['owner-o3', 'o3'],
      // The lead answers `other`, which they share with the O2 owner.
      ['lead', 'other'],
      // Where the platform has forms, the metrics are submitted in the form instead (below).
      ...(capabilities.forms ? [] : [['owner-metrics', 'metrics'] as [string, string]]),
    ];
    for (const [person, sectionId] of inThreads) await h.reply(person, (await h.prompt(person, sectionId)).ref, seedReply(sectionId));
    // At the top of the chat, not in a thread: the owner's only section.
    await h.reply('owner-o4', null, seedReply('o4'));

    for (const [person, sectionId] of inThreads) expect(confirmations(await h.prompt(person, sectionId)), sectionId).toHaveLength(1);
    // The message outside the thread is answered where it was sent, and stored as the O4 section.
    expect(h.dm('owner-o4').filter((m) => m.text.startsWith('✅'))).toHaveLength(1);
    const [o4] = await history('o4', 'owner-o4');
    expect(o4!.rawText).toBe(seedReply('o4'));
    expect(o4!.sourceMessageId).toBeDefined();
  });

  it.skipIf(!capabilities.edits)('takes an edit of a reply as a new revision of its section', async () => {
    const prompt = await h.prompt('owner-o2', 'o2');
    const draft = await h.reply('owner-o2', prompt.ref, O2_FIRST_DRAFT);
    await h.edit(draft, seedReply('o2'));

    const o2 = await history('o2', 'owner-o2');
    expect(o2.map((s) => s.revision)).toEqual([1, 2]);
    expect(o2[1]!.content).toMatchObject({ kind: 'list' });
    expect((o2[1]!.content as { items: unknown[] }).items).toHaveLength(7);
    expect(confirmations(prompt)).toHaveLength(2);
  });

  it.skipIf(capabilities.edits)('takes the O2 owner’s answer in its thread (a platform without edits)', async () => {
    const prompt = await h.prompt('owner-o2', 'o2');
    await h.reply('owner-o2', prompt.ref, seedReply('o2'));
    expect(await history('o2', 'owner-o2')).toHaveLength(1);
    expect(confirmations(prompt)).toHaveLength(1);
  });

  it('stores a reply the platform delivers three times once', async () => {
    const prompt = await h.prompt('owner-incidents', 'incidents');
    const typed = await h.reply('owner-incidents', prompt.ref, seedReply('incidents'));
    await typed.again();
    await typed.again();

    expect(await history('incidents', 'owner-incidents')).toHaveLength(1);
    expect(confirmations(prompt)).toHaveLength(1);
    // The confirmation shows the section as the report will.
    expect(confirmations(prompt)[0]!.text).toContain('06/03 18:31 由于中信银行侧装修存管商户配置问题');
  });

  it.skipIf(!capabilities.forms)('opens the form prefilled with last week’s text, and stores what is submitted once however often it arrives', async () => {
    const prompt = await h.prompt('owner-metrics', 'metrics');
    const section = h.team.definition.sections.find((s) => s.id === 'metrics')!;
    const [w22] = await h.store.submissionHistory({ teamId: TEAM, week: '2024-W22', sectionId: 'metrics', owner: 'owner-metrics' });
    expect(await h.openForm('owner-metrics', prompt)).toEqual([renderSectionBody(section, w22!.content)]);

    const submitted = seedReply('metrics');
    const submission = await h.submitForm('owner-metrics', prompt, submitted);
    // Submitted twice (a double click, a delivery repeated): stored once.
    await submission.again();

    const metrics = await history('metrics', 'owner-metrics');
    expect(metrics).toHaveLength(1);
    expect(metrics[0]!.rawText.trimEnd()).toBe(submitted.trimEnd());
    // The owner is told once, in the prompt's thread or their chat with the bot.
    const told = [...h.thread(prompt.ref), ...h.dm('owner-metrics')].filter((m) => m.text.startsWith('✅ 已收到 【系统运行数据】'));
    expect(told).toHaveLength(1);
  });

  it('answers the lead’s status to the lead only', async () => {
    const answers = await h.command('lead', 'status');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.toCaller)).toBe(true);
    expect(answers.map((a) => a.text).join('\n')).toContain(`${WEEK} 已提交 10/12`);
  });

  it('reminds on Thursday only the owners still missing, in their prompts’ threads', async () => {
    h.setNow('2024-06-06T16:00:00+08:00');
    const before = h.sent().length;
    await runDueJobs(h.ctx, h.team, h.holder);
    const reminders = h.sent().slice(before);
    expect(reminders.every((m) => m.text.startsWith('⏰'))).toBe(true);

    // The lead answered `other`, which they share with the O2 owner: it is covered, so O2 is not reminded of it.
    const missing = ['lead next-week', 'lead reflections'];
    expect(reminders).toHaveLength(missing.length);
    for (const [person, owned] of Object.entries(ownedByPerson(h.team))) {
      for (const sectionId of owned) {
        const reminded = h.thread((await h.prompt(person, sectionId)).ref).filter((m) => m.text.startsWith('⏰'));
        expect(reminded, `${person} ${sectionId}`).toHaveLength(missing.includes(`${person} ${sectionId}`) ? 1 : 0);
      }
    }
  });

  it('takes an answer in the prompt’s thread after the reminder', async () => {
    const prompt = await h.prompt('lead', 'next-week');
    await h.reply('lead', prompt.ref, seedReply('next-week'));
    expect(await history('next-week', 'lead')).toHaveLength(1);
    // The lead's two sections, each answered in its own thread.
    expect(await history('other', 'lead')).toHaveLength(1);
    expect(confirmations(prompt)).toHaveLength(1);
    expect(confirmations(await h.prompt('lead', 'other'))).toHaveLength(1);
  });

  it('answers preview to the caller only, and posts nothing', async () => {
    h.setNow('2024-06-07T09:00:00+08:00');
    const answers = await h.command('owner-o1', 'preview');
    expect(answers.length).toBeGreaterThan(0);
    expect(answers.every((a) => a.toCaller)).toBe(true);
    expect(answers.map((a) => a.text).join('\n')).toContain('## 【O1 业务服务】');
    expect(h.channel()).toEqual([]);
  });

  it('publishes on the lead’s publish, asking first while sections are missing: a header, the report in its thread, the .md file', async () => {
    h.setNow('2024-06-07T16:30:00+08:00');
    const [asked, ...more] = await h.command('lead', 'publish');
    expect(more).toEqual([]);
    expect(asked!.toCaller).toBe(true);
    // One section is missing (收获与反思; 【其他】 is covered by the lead's answer, though its other
    // owner, O2, has not answered).
    expect(asked!.text).toMatch(/还有 1 个部分未提交：收获与反思（Lead）。/);
    // A button where the platform has them; the text says what to type either way.
    expect(asked!.text).toContain('/weekly-report publish confirm');
    expect(asked!.commands).toEqual(capabilities.buttons ? ['publish confirm'] : []);
    expect(h.channel()).toEqual([]);

    const published = await h.press('lead', asked!, 'publish confirm');
    expect(published.map((a) => [a.text, a.toCaller])).toContainEqual([`${WEEK} 周报已发布。`, true]);

    expect(h.channel()).toHaveLength(1);
    const digest = h.digest();
    expect(digest.header.text).toMatch(/^📋 支付中心周报 2024-W23：已提交 11\/12，未提交：Lead。/);
    expect(digest.body).toBe(EXPECTED_MD.trimEnd());
    expect(digest.files).toHaveLength(1);
    expect(digest.files[0]!.filename).toBe(`${TEAM}-${WEEK}.md`);
    // The compiled file ends with a newline; expected.md is stored without one.
    expect(digest.files[0]!.content).toBe(`${EXPECTED_MD.replace(/\n$/, '')}\n`);
    expect((await h.store.getCycle(TEAM, WEEK))?.status).toBe('published');
  });

  it('updates the posted report in place on a late answer, says so, and tells the owner and the lead', async () => {
    h.setNow('2024-06-07T16:45:00+08:00');
    const before = h.digest();
    const otherPrompt = await h.prompt('owner-o2', 'other');
    await h.reply('owner-o2', otherPrompt.ref, '聚合支付二期评审');

    expect(h.channel()).toHaveLength(1);
    const after = h.digest();
    expect(after.header.ref).toBe(before.header.ref);
    expect(after.header.edits).toBe(1);
    expect(after.header.text).toContain('（发布后已更新：【其他】）');
    expect(after.header.text).toContain('已提交 11/12，未提交：Lead。');
    expect(after.parts.map((p) => p.ref)).toEqual(before.parts.map((p) => p.ref));
    expect(after.body).toContain('5. 聚合支付二期评审');
    // The report changed: its file is shared again.
    expect(after.files).toHaveLength(2);
    expect(after.files[1]!.content).toContain('5. 聚合支付二期评审');

    const [told] = confirmations(otherPrompt);
    expect(told!.text).toContain('周报已经发布，已按你的修改更新已发布的周报');
    expect(h.dm('lead').filter((m) => m.text.startsWith('✏️'))).toHaveLength(1);
    // The O2 owner's two sections, each answered in its own thread.
    expect(await history('other', 'owner-o2')).toHaveLength(1);
    expect(confirmations(otherPrompt)).toHaveLength(1);
    expect(confirmations(await h.prompt('owner-o2', 'o2'))).toHaveLength(capabilities.edits ? 2 : 1);
  });

  it('changes nothing when the week is published again without a change', async () => {
    const before = { sent: h.sent().length, files: h.files().length, updates: h.updates() };
    for (let i = 0; i < 2; i++) {
      const answers = await h.command('lead', 'publish');
      expect(answers.map((a) => [a.text, a.toCaller])).toEqual([[`${WEEK} 周报已更新。`, true]]);
    }
    expect(h.channel()).toHaveLength(1);
    expect({ sent: h.sent().length, files: h.files().length, updates: h.updates() }).toEqual(before);
    expect(h.errors()).toEqual([]);
  });
});

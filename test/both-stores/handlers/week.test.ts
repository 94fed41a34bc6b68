import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import type { Store } from '../../../src/store/index.ts';
import { consoleBot, FakeClock, fixtureReply, openTestStore, seedReply } from '../../support/bot.ts';
import { documentLines, EXPECTED_MD } from '../../support/golden.ts';

/**
 * One whole week of the reference team through the console platform, on a real MongoDB-wire
 * server, with a fake clock: prompts on Tuesday, replies in mixed styles, an edit, a duplicate
 * delivery, Thursday's reminders and Friday's digest, which must equal the reference document.
 */
describe('a whole week of payments-weekly', () => {
  let store: Store;
  const clock = new FakeClock(new Date('2024-06-04T15:34:00+08:00'));

  beforeAll(async () => {
    store = await openTestStore('week');
  });
  afterAll(async () => {
    await store.close();
  });

  it('runs from Tuesday’s prompts to Friday’s digest and reproduces the reference', async () => {
    const bot = await consoleBot(store, clock);
    const second = await consoleBot(store, clock, 'replica-b');
    const { platform, team } = bot;

    // Last week, the O1 owner wrote something: this week's prompt shows it to edit.
    await store.openCycle('payments-weekly', '2024-W22', new Date('2024-05-28T15:30:00+08:00'));
    await store.recordSubmission({
      teamId: 'payments-weekly',
      week: '2024-W22',
      sectionId: 'o1',
      owner: 'owner-o1',
      platform: 'console',
      eventId: 'w22-o1',
      rawText: '上周的 O1 内容',
      content: { kind: 'list', items: [{ text: '上周的 O1 内容', children: [] }] },
      receivedAt: new Date('2024-05-29T10:00:00+08:00'),
    });

    // Tuesday 15:34: two replicas run the due jobs at once; every owner gets one prompt per section.
    await Promise.all([runDueJobs(bot.ctx, team, bot.holder), runDueJobs(second.ctx, team, second.holder)]);
    const prompts = [...platform.messages, ...second.platform.messages].filter((m) => m.answerForm);
    const expectedPrompts = team.definition.sections.flatMap((s) => s.owners.map((o) => `@${o} ${s.id}`)).sort();
    expect(prompts.map((m) => `${m.channel} ${m.answerForm!.sectionId}`).sort()).toEqual(expectedPrompts);
    const promptOf = (owner: string, sectionId: string) => {
      const found = prompts.find((m) => m.channel === `@${owner}` && m.answerForm!.sectionId === sectionId)!;
      // Replies go through the replica whose platform sent the prompt.
      return { id: found.id, via: platform.messages.includes(found) ? bot : second };
    };
    const o1Prompt = prompts.find((m) => m.answerForm!.sectionId === 'o1')!;
    expect(o1Prompt.text).toContain('上周的 O1 内容');
    expect(o1Prompt.text).toContain('6月7日 周五 17:00');
    expect(o1Prompt.answerForm!.prefill).toBe('1. 上周的 O1 内容');

    const as = (owner: string, sectionId: string) => {
      const { id, via } = promptOf(owner, sectionId);
      via.session.you = owner;
      return { id, session: via.session };
    };
    const reply = async (owner: string, sectionId: string, text: string) => {
      const { id, session: s } = as(owner, sectionId);
      return s.say(text, id);
    };

    // Mixed styles, each in the prompt's thread unless said otherwise.
    await reply('owner-beiyizhuan', 'beiyizhuan', fixtureReply('bullets-slack', 'beiyizhuan.txt'));
    await reply('owner-escrow', 'decoration-escrow', fixtureReply('paren-numbering', 'decoration-escrow.md'));
    await reply('owner-safety', 'payment-safety', seedReply('payment-safety').replace(/\n/g, '\r\n'));
    await reply('owner-o2', 'o2', fixtureReply('paren-numbering', 'o2.md'));
    await reply('owner-o4', 'o4', fixtureReply('paren-numbering', 'o4.md'));
    await reply('owner-metrics', 'metrics', seedReply('metrics').replace(/\n/g, '\r\n'));
    await reply('lead', 'other', seedReply('other'));
    await reply('lead', 'next-week', fixtureReply('bullets-slack', 'next-week.txt'));

    // O1 answers with a plain DM, outside the thread: their only section.
    {
      const { session: s } = as('owner-o1', 'o1');
      await s.say(seedReply('o1'));
    }
    // O3 answers, then edits the message: two revisions, the second one counts.
    const o3 = await reply('owner-o3', 'o3', '1. 银企M6V机房迁移：整体进度80%');
    await as('owner-o3', 'o3').session.edit(o3.messageId!, seedReply('o3'));
    // Incidents are answered through the form, and the platform delivers that event twice.
    {
      const { id, session: s } = as('owner-incidents', 'incidents');
      const delivered = await s.submitForm(id, seedReply('incidents'));
      await s.deliver(delivered);
    }

    const o3History = await store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o3', owner: 'owner-o3' });
    expect(o3History.map((s) => [s.revision, s.rawText])).toEqual([
      [1, '1. 银企M6V机房迁移：整体进度80%'],
      [2, seedReply('o3')],
    ]);
    const incidents = await store.submissionHistory({ teamId: 'payments-weekly', week: '2024-W23', sectionId: 'incidents', owner: 'owner-incidents' });
    expect(incidents).toHaveLength(1);
    const confirmations = [...platform.messages, ...second.platform.messages].filter((m) => m.channel === '@owner-incidents' && m.text.startsWith('✅'));
    expect(confirmations).toHaveLength(1);
    expect(confirmations[0]!.text).toContain('06/03 18:31 由于中信银行侧装修存管商户配置问题');

    // Thursday 16:00: only the owners who have not answered are reminded, once.
    clock.set('2024-06-06T16:00:00+08:00');
    await Promise.all([runDueJobs(bot.ctx, team, bot.holder), runDueJobs(second.ctx, team, second.holder)]);
    const reminders = [...platform.messages, ...second.platform.messages].filter((m) => m.text.startsWith('⏰'));
    // 【其他】, which the lead shares with O2, is covered by the lead's answer: O2 is not reminded of it.
    expect(reminders.map((m) => `${m.channel} ${m.text.includes('【其他】') ? 'other' : 'reflections'}`).sort()).toEqual(['@lead reflections']);

    // Friday 17:00: the digest, posted once although both replicas run.
    clock.set('2024-06-07T17:00:00+08:00');
    await Promise.all([runDueJobs(bot.ctx, team, bot.holder), runDueJobs(second.ctx, team, second.holder)]);
    const channel = [...platform.messages, ...second.platform.messages].filter((m) => m.channel === '#payments-weekly');
    const headers = channel.filter((m) => !m.threadOf);
    expect(headers).toHaveLength(1);
    expect(headers[0]!.text).toContain('2024-W23');
    expect(headers[0]!.text).toContain('11/12');
    // Owner O2 shares 【其他】 with the lead, who answered it: only the lead's 收获与反思 is missing.
    expect(headers[0]!.text).toContain('未提交：Lead。');
    const thread = channel.filter((m) => m.threadOf === headers[0]!.id);
    const body = thread
      .filter((m) => !m.file)
      .map((m) => m.markdown ?? m.text)
      .join('\n\n');
    expect(documentLines(body)).toEqual(documentLines(EXPECTED_MD));
    const files = thread.filter((m) => m.file);
    expect(files).toHaveLength(1);
    expect(files[0]!.file!.filename).toBe('payments-weekly-2024-W23.md');
    expect(documentLines(files[0]!.file!.content)).toEqual(documentLines(EXPECTED_MD));
    expect((await store.getCycle('payments-weekly', '2024-W23'))?.status).toBe('published');

    // A late answer updates the posted report in place, says so, and tells the lead; publishing
    // again afterwards changes nothing more.
    const publisher = headers[0]!.id && platform.messages.includes(headers[0]!) ? bot : second;
    clock.set('2024-06-07T17:30:00+08:00');
    publisher.session.you = 'owner-o2';
    await publisher.session.say('聚合支付二期评审', promptOf('owner-o2', 'other').id);
    const late = publisher.platform.messages.filter((m) => m.channel === '#payments-weekly');
    expect(late.filter((m) => !m.threadOf)).toHaveLength(1);
    const header = late.find((m) => m.id === headers[0]!.id)!;
    expect(header.edits).toBe(1);
    expect(header.text).toContain('11/12，未提交：Lead。');
    expect(header.text).toContain('（发布后已更新：【其他】）');
    const updatedBody = late.filter((m) => m.threadOf && !m.file);
    expect(updatedBody).toHaveLength(thread.filter((m) => !m.file).length);
    expect(updatedBody[0]!.markdown).toContain('5. 聚合支付二期评审');
    const newFiles = late.filter((m) => m.file);
    expect(newFiles).toHaveLength(2);
    expect(newFiles[1]!.file!.content).toContain('5. 聚合支付二期评审');
    const toOwner = publisher.platform.messages.filter((m) => m.channel === '@owner-o2' && m.text.startsWith('✅')).at(-1)!;
    expect(toOwner.text).toContain('周报已经发布，已按你的修改更新已发布的周报');
    expect(publisher.platform.messages.filter((m) => m.channel === '@lead' && m.text.startsWith('✏️'))).toHaveLength(1);

    publisher.session.you = 'lead';
    await publisher.session.command('publish');
    const after = publisher.platform.messages.filter((m) => m.channel === '#payments-weekly');
    expect(after.filter((m) => !m.threadOf)).toHaveLength(1);
    expect(after.filter((m) => m.file)).toHaveLength(2);
    expect(publisher.answers.at(-1)!.message.text).toBe('2024-W23 周报已更新。');
  });
});

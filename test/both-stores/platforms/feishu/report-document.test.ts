import { afterEach, describe, expect, it } from 'vitest';
import { runDueJobs } from '../../../../handlers/cycle/jobs.ts';
import { feishuModule } from '../../../../src/platforms/feishu/module.ts';
import { startFeishuHarness, textOf, threadReply, type FeishuHarness } from '../../../platforms/feishu/harness.ts';

const WEEK = '2024-W23';
const FOLDER = 'fldcnWeeklyReports01';

/**
 * The week's report as a Feishu document (issue #21, 2), a whole week on Feishu against the fakes:
 * created once in the team's folder, filled with the report, linked from the digest card, filled
 * again in place after a late answer; a folder the app cannot write to is told to the leads once,
 * and the chat publication goes on.
 */
describe('the week’s Feishu document', () => {
  const harnesses: FeishuHarness[] = [];
  afterEach(async () => {
    // Replicas first: the first harness owns the store and the fake.
    for (const h of harnesses.splice(0).reverse()) await h.close();
  });

  const start = async (label: string, access: 'edit' | 'none' = 'edit') => {
    const h = await startFeishuHarness(label, { feishuDoc: { folder: FOLDER } });
    h.fake.docs.addFolder(FOLDER, access);
    harnesses.push(h);
    return h;
  };
  const group = (h: FeishuHarness) => feishuModule.reportChannel(h.team.definition)!;
  const headers = (h: FeishuHarness) => h.fake.chatMessages(group(h)).filter((m) => m.sender === 'bot');
  /** What the bot told the lead directly about the document. */
  const toldLead = (h: FeishuHarness) =>
    h.fake
      .chatMessages(h.fake.p2pChatOf(h.openId('lead')).chat_id)
      .map(textOf)
      .filter((t) => t.includes(WEEK) && t.includes('飞书文档'));

  /** Opened on Tuesday, O1 answered on Wednesday; the schedule publishes on Friday 17:00. */
  async function answeredWeek(h: FeishuHarness): Promise<void> {
    await runDueJobs(h.ctx, h.team, 'test-holder');
    h.setNow('2024-06-05T10:00:00+08:00');
    expect((await h.deliver(threadReply(h, 'owner-o1', 'o1', '1. 第一件事'))).status).toBe(200);
    h.setNow('2024-06-07T17:00:00+08:00');
  }

  it('is created once in the folder, holds the report and is linked from the digest card', async () => {
    const h = await start('feishu_doc_week');
    await answeredWeek(h);
    await runDueJobs(h.ctx, h.team, 'test-holder');

    expect(h.fake.callsTo('docx.v1.document.create')).toHaveLength(1);
    const [document] = [...h.fake.docs.documents.values()];
    expect(document).toMatchObject({ folder_token: FOLDER, title: expect.stringContaining(WEEK) as unknown });
    const text = h.fake.docs.documentText(document!.document_id);
    expect(text.join('\n')).toContain('第一件事');
    // The report's own headings, in order, as in the chat.
    const sections = h.team.definition.sections.map((s) => s.title);
    const at = sections.map((title) => text.findIndex((t) => t.includes(title)));
    expect(at.every((i) => i >= 0)).toBe(true);
    expect(at).toEqual([...at].sort((x, y) => x - y));
    const [header] = headers(h);
    expect(textOf(header!)).toContain(`${h.fake.docs.tenantUrl}/docx/${document!.document_id}`);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('is filled again in place after a late answer: the same document, the new report only, the same link', async () => {
    const h = await start('feishu_doc_late');
    await answeredWeek(h);
    await runDueJobs(h.ctx, h.team, 'test-holder');
    const [document] = [...h.fake.docs.documents.values()];
    const id = document!.document_id;

    h.setNow('2024-06-07T17:30:00+08:00');
    expect((await h.deliver(threadReply(h, 'owner-o2', 'o2', '1. 迟到的回答'))).status).toBe(200);
    await runDueJobs(h.ctx, h.team, 'test-holder');
    await h.runtime.idle();

    expect(h.fake.docs.documents.size).toBe(1);
    expect(h.fake.callsTo('docx.v1.document.create')).toHaveLength(1);
    const text = h.fake.docs.documentText(id);
    expect(text.join('\n')).toContain('迟到的回答');
    expect(text.filter((t) => t.includes('第一件事'))).toHaveLength(1);
    expect(h.fake.callsTo('docx.v1.document_block_children.batch_delete').filter((c) => c.code === 0).length).toBeGreaterThanOrEqual(1);
    expect(textOf(headers(h)[0]!)).toContain(`/docx/${id}`);
    expect(h.logs.filter((l) => l.level >= 50)).toEqual([]);
  });

  it('is created once when two replicas publish the week at the same time', async () => {
    const a = await start('feishu_doc_replicas');
    await answeredWeek(a);
    const b = await startFeishuHarness('feishu_doc_replicas', { now: '2024-06-07T17:00:00+08:00', replicaOf: a, feishuDoc: { folder: FOLDER } });
    harnesses.push(b);

    await Promise.all([runDueJobs(a.ctx, a.team, 'holder-a'), runDueJobs(b.ctx, b.team, 'holder-b')]);

    expect(a.fake.callsTo('docx.v1.document.create')).toHaveLength(1);
    expect(a.fake.docs.documents.size).toBe(1);
    const [document] = [...a.fake.docs.documents.values()];
    expect(a.fake.docs.documentText(document!.document_id).join('\n')).toContain('第一件事');
    expect(headers(a)).toHaveLength(1);
    expect(textOf(headers(a)[0]!)).toContain(`/docx/${document!.document_id}`);
  });

  it('tells the leads once when the app may not write in the folder, and the digest is posted as usual', async () => {
    const h = await start('feishu_doc_denied', 'none');
    await answeredWeek(h);
    await runDueJobs(h.ctx, h.team, 'test-holder');

    expect(h.fake.docs.documents.size).toBe(0);
    expect(headers(h)).toHaveLength(1);
    expect(textOf(headers(h)[0]!)).not.toContain('/docx/');
    expect(h.fake.threadOf(headers(h)[0]!.message_id).length).toBeGreaterThan(0);
    const told = toldLead(h);
    expect(told).toHaveLength(1);
    expect(told[0]).toContain('1770040');
    expect(told[0]).toContain(FOLDER);
    expect(told[0]).toContain('协作者'); // what to do, in the team's language

    // The next publication (a late answer) tries again, and fails again: the leads are not told twice.
    h.setNow('2024-06-07T17:30:00+08:00');
    expect((await h.deliver(threadReply(h, 'owner-o2', 'o2', '1. 迟到的回答'))).status).toBe(200);
    await runDueJobs(h.ctx, h.team, 'test-holder');
    await h.runtime.idle();
    expect(h.fake.callsTo('docx.v1.document.create').length).toBeGreaterThanOrEqual(2);
    expect(toldLead(h)).toHaveLength(1);
  });
});

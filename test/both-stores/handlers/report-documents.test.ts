import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWeek } from '../../../handlers/cycle/prompt.ts';
import { publishWeek } from '../../../handlers/cycle/publish.ts';
import { documentRunKey } from '../../../handlers/cycle/report-documents.ts';
import { consoleModule } from '../../../src/platforms/console/module.ts';
import type { ConsolePlatform } from '../../../src/platforms/console/console-platform.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { ReportDocumentContent, ReportDocumentRef, ReportDocumentRequest, ReportDocuments } from '../../../src/platforms/platform.ts';
import { ReportDocumentError } from '../../../src/platforms/report-document-error.ts';
import type { Store } from '../../../src/store/store.ts';
import { consoleBot, FakeClock, openTestStore } from '../../support/bot.ts';

const WEEK = '2024-W23';
const OPEN = '2024-06-04T15:30:00+08:00';
const FRIDAY = '2024-06-07T17:00:00+08:00';

/** A platform's documents in memory: what was created and what each holds, with failures on demand. */
class MemoryDocuments implements ReportDocuments {
  readonly label = 'doc';
  readonly created: ReportDocumentRequest[] = [];
  readonly contents = new Map<string, ReportDocumentContent[]>();
  /** The next calls to create or replace throw this, while it is set. */
  failWith: Error | null = null;

  async create(request: ReportDocumentRequest): Promise<ReportDocumentRef> {
    if (this.failWith) throw this.failWith;
    this.created.push(request);
    const id = `doc${this.created.length}`;
    this.contents.set(id, []);
    return { id, url: `https://docs.example.test/${id}` };
  }

  async replace(ref: ReportDocumentRef, content: ReportDocumentContent): Promise<void> {
    if (this.failWith) throw this.failWith;
    const versions = this.contents.get(ref.id);
    if (!versions) throw new Error(`unknown document ${ref.id}`);
    versions.push(content);
  }
}

/** The console module, asking for a document for every team (as `post.slack.canvas: true` does on Slack). */
const withDocuments = PLATFORM_MODULES.map((m) => (m === consoleModule ? { ...consoleModule, reportDocumentOptions: () => ({ wanted: true }) } : m));

let store: Store;
let clock: FakeClock;
beforeEach(async () => {
  store = await openTestStore('report_documents');
  clock = new FakeClock(new Date(OPEN));
});
afterEach(async () => {
  await store.close();
});

/** A replica whose console platform has `documents`, sharing the store with the other replicas. */
async function replica(documents: MemoryDocuments, holder = 'replica-a') {
  const bot = await consoleBot(store, clock, holder);
  Object.assign(bot.platform, { reportDocuments: documents });
  bot.ctx.modules = withDocuments;
  return bot;
}

const headerOf = (platform: ConsolePlatform) => platform.messages.find((m) => m.channel === '#payments-weekly' && !m.threadOf && !m.file)!;
const leadDms = (platform: ConsolePlatform) => platform.messages.filter((m) => m.channel === '@lead' && !m.answerForm);

async function answerO1Late(text: string) {
  await store.recordSubmission({
    teamId: 'payments-weekly',
    week: WEEK,
    sectionId: 'o1',
    owner: 'owner-o1',
    platform: 'console',
    eventId: `late-${text}`,
    rawText: text,
    content: { kind: 'list', items: [{ text, children: [] }] },
    receivedAt: clock.now(),
  });
}

describe('the week’s report documents (the publish hook)', () => {
  it('creates the document once, links it from the first digest, and fills it on every publication that posts', async () => {
    const documents = new MemoryDocuments();
    const bot = await replica(documents);
    await openWeek(bot.ctx, bot.team, WEEK);
    clock.set(FRIDAY);

    await publishWeek(bot.ctx, bot.team, WEEK, bot.holder);
    expect(documents.created).toEqual([
      { teamId: 'payments-weekly', week: WEEK, title: expect.stringContaining(WEEK), channel: '#payments-weekly', options: { wanted: true } },
    ]);
    expect(headerOf(bot.platform).text).toContain('📄 doc：https://docs.example.test/doc1');
    expect(documents.contents.get('doc1')!.map((c) => c.report.week)).toEqual([WEEK]);
    expect(await store.listReportDocuments('payments-weekly', WEEK)).toMatchObject([
      { platform: 'console', id: 'doc1', url: 'https://docs.example.test/doc1' },
    ]);

    // The same content again: nothing is posted, nothing refilled.
    await publishWeek(bot.ctx, bot.team, WEEK, bot.holder);
    expect(documents.contents.get('doc1')).toHaveLength(1);

    // A late answer: the same document gets the new report; the header keeps the same link.
    clock.advance(60_000);
    await answerO1Late('上线退款对账');
    await publishWeek(bot.ctx, bot.team, WEEK, bot.holder);
    expect(documents.created).toHaveLength(1);
    const versions = documents.contents.get('doc1')!;
    expect(versions).toHaveLength(2);
    expect(versions[0]!.report.markdown).not.toContain('上线退款对账');
    expect(versions[1]!.report.markdown).toContain('上线退款对账');
    expect(headerOf(bot.platform).text).toContain('📄 doc：https://docs.example.test/doc1');
    expect(headerOf(bot.platform).edits).toBe(1);
  });

  it('creates it once when two replicas publish at once, and after a restart', async () => {
    const documents = new MemoryDocuments();
    const a = await replica(documents, 'replica-a');
    const b = await replica(documents, 'replica-b');
    await openWeek(a.ctx, a.team, WEEK);
    clock.set(FRIDAY);
    await Promise.all([publishWeek(a.ctx, a.team, WEEK, a.holder), publishWeek(b.ctx, b.team, WEEK, b.holder)]);
    expect(documents.created).toHaveLength(1);

    // A restarted replica (a new holder) republishing a late answer finds the recorded document.
    const restarted = await replica(documents, 'replica-c');
    clock.advance(60_000);
    await answerO1Late('补充');
    await publishWeek(restarted.ctx, restarted.team, WEEK, restarted.holder);
    expect(documents.created).toHaveLength(1);
    expect(documents.contents.get('doc1')!.at(-1)!.report.markdown).toContain('补充');
  });

  it('tells the leads once of a failure, posts the digest anyway, and tries again at the next publication', async () => {
    const documents = new MemoryDocuments();
    const a = await replica(documents, 'replica-a');
    const b = await replica(documents, 'replica-b');
    await openWeek(a.ctx, a.team, WEEK);
    clock.set(FRIDAY);
    documents.failWith = new ReportDocumentError({ kind: 'permission', needs: 'canvases:write' }, 'missing_scope');

    await publishWeek(a.ctx, a.team, WEEK, a.holder);
    // The digest is out, without a link.
    expect(headerOf(a.platform).text).not.toContain('📄');
    expect(a.platform.messages.some((m) => m.file)).toBe(true);
    const told = leadDms(a.platform);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('missing_scope');
    expect(told[0]!.text).toContain('canvases:write');

    // Failing again, on this replica or another: the leads are not told again.
    clock.advance(60_000);
    await answerO1Late('第二次');
    await publishWeek(b.ctx, b.team, WEEK, b.holder);
    await publishWeek(a.ctx, a.team, WEEK, a.holder);
    expect([...leadDms(a.platform), ...leadDms(b.platform)]).toHaveLength(1);
    expect(await store.isJobRunDone(documentRunKey('payments-weekly', WEEK, 'console', 'told'))).toBe(true);

    // Fixed: the next publication creates it, fills it, and the header links it.
    documents.failWith = null;
    clock.advance(60_000);
    await answerO1Late('第三次');
    await publishWeek(a.ctx, a.team, WEEK, a.holder);
    expect(documents.created).toHaveLength(1);
    expect(documents.contents.get('doc1')!.at(-1)!.report.markdown).toContain('第三次');
    expect(headerOf(a.platform).text).toContain('https://docs.example.test/doc1');
  });

  it('tells the leads of a document that cannot be filled, with the platform’s error, and keeps the chat publication', async () => {
    const documents = new MemoryDocuments();
    const bot = await replica(documents);
    await openWeek(bot.ctx, bot.team, WEEK);
    clock.set(FRIDAY);
    await publishWeek(bot.ctx, bot.team, WEEK, bot.holder);
    expect(leadDms(bot.platform)).toHaveLength(0);

    documents.failWith = new Error('canvas_editing_failed');
    clock.advance(60_000);
    await answerO1Late('晚到');
    await publishWeek(bot.ctx, bot.team, WEEK, bot.holder);
    expect(bot.platform.messages.filter((m) => m.threadOf).some((m) => m.text.includes('晚到'))).toBe(true);
    const told = leadDms(bot.platform);
    expect(told).toHaveLength(1);
    expect(told[0]!.text).toContain('canvas_editing_failed');
  });
});

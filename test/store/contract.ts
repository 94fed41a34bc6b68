import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROMPT_SENDING_STALE_MS, SEEN_EVENT_WINDOW_MS } from '../../src/store/policy.ts';
import type { GoalReviewInput, JobRunKey, PostedMessage, PromptKey, Store, SubmissionInput } from '../../src/store/store.ts';

/**
 * The behaviour every Store must have, written once and run against MemoryStore and MongoStore.
 * Concurrency tests spread their calls over two "replicas" (two stores on the same data: for
 * MongoStore, two connections) to stand for two bot processes.
 */
export interface StoreContractOptions {
  /** A second store on the same data as `store`; the same object when there is only one. */
  replicaOf?: (store: Store) => Promise<Store>;
}

const T0 = new Date('2024-06-03T09:00:00.000Z');
const at = (ms: number): Date => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

const key: PromptKey = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', owner: 'alice' };

function submission(overrides: Partial<SubmissionInput> = {}): SubmissionInput {
  return {
    ...key,
    platform: 'slack',
    eventId: 'Ev001',
    sourceMessageId: 'C01.1717405200.000100',
    rawText: '1. Shipped refunds v2\n   - behind a flag',
    rawPayload: { type: 'message', text: '1. Shipped refunds v2', blocks: [{ type: 'rich_text', elements: [] }] },
    content: { kind: 'list', items: [{ text: 'Shipped refunds v2', children: [{ text: 'behind a flag', children: [] }] }] },
    receivedAt: T0,
    ...overrides,
  };
}

const posts = (prefix: string): PostedMessage[] => [
  { platform: 'slack', channel: 'C0REPORT', messageId: `${prefix}.1`, role: 'header', index: 0 },
  { platform: 'slack', channel: 'C0REPORT', messageId: `${prefix}.2`, role: 'body', index: 1 },
];

const count = (values: unknown[]): number => values.filter(Boolean).length;

export function runStoreContract(
  name: string,
  makeStore: () => Promise<Store>,
  cleanup: (store: Store) => Promise<void>,
  options: StoreContractOptions = {},
): void {
  describe(`${name} (Store contract)`, () => {
    let store: Store;
    let other: Store;
    const replicas: Store[] = [];

    beforeEach(async () => {
      store = await makeStore();
      other = options.replicaOf ? await options.replicaOf(store) : store;
      if (other !== store) replicas.push(other);
    });

    afterEach(async () => {
      for (const replica of replicas.splice(0)) await replica.close();
      await cleanup(store);
    });

    /** Runs `n` calls, alternating between the two replicas, all at once. */
    const concurrently = <T>(n: number, call: (s: Store, i: number) => Promise<T>): Promise<T[]> =>
      Promise.all(Array.from({ length: n }, (_, i) => call(i % 2 === 0 ? store : other, i)));

    describe('cycles', () => {
      it('opens a week once and returns it unchanged when opened again', async () => {
        const opened = await store.openCycle('payments-weekly', '2024-W23', T0);
        expect(opened).toEqual({ teamId: 'payments-weekly', week: '2024-W23', status: 'open', createdAt: T0, posts: [] });
        const again = await other.openCycle('payments-weekly', '2024-W23', at(MINUTE));
        expect(again.createdAt).toEqual(T0);
        expect(await store.getCycle('payments-weekly', '2024-W23')).toEqual(opened);
      });

      it('opens one cycle when ten replicas open the same week at once', async () => {
        const cycles = await concurrently(10, (s, i) => s.openCycle('payments-weekly', '2024-W23', at(i)));
        const createdAt = cycles[0]!.createdAt.getTime();
        expect(cycles.every((c) => c.createdAt.getTime() === createdAt)).toBe(true);
        expect(await store.listCycles('payments-weekly', 10)).toHaveLength(1);
      });

      it('returns null for a week that was never opened', async () => {
        expect(await store.getCycle('payments-weekly', '2024-W01')).toBeNull();
      });

      it('lists the weeks of a report newest first, up to the limit', async () => {
        for (const week of ['2024-W22', '2024-W24', '2023-W52', '2024-W23']) await store.openCycle('payments-weekly', week, T0);
        await store.openCycle('other-report', '2024-W30', T0);
        const weeks = (await store.listCycles('payments-weekly', 3)).map((c) => c.week);
        expect(weeks).toEqual(['2024-W24', '2024-W23', '2024-W22']);
        expect(await store.listCycles('payments-weekly', 0)).toEqual([]);
      });

      it('keeps the newest posts when a week is published twice', async () => {
        await store.openCycle('payments-weekly', '2024-W23', T0);
        await store.markPublished('payments-weekly', '2024-W23', posts('first'), at(MINUTE));
        const republished = await store.markPublished('payments-weekly', '2024-W23', posts('second'), at(2 * MINUTE));
        expect(republished).toEqual({
          teamId: 'payments-weekly',
          week: '2024-W23',
          status: 'published',
          createdAt: T0,
          publishedAt: at(2 * MINUTE),
          firstPublishedAt: at(MINUTE),
          posts: posts('second'),
        });
        expect(await other.getCycle('payments-weekly', '2024-W23')).toEqual(republished);
      });

      it('records a week’s document once per platform: the first record stands, on either replica', async () => {
        const doc = (platform: 'slack' | 'feishu', id: string) => ({
          teamId: 'payments-weekly',
          week: '2024-W23',
          platform,
          id,
          url: `https://example.test/${id}`,
          createdAt: at(MINUTE),
        });
        expect(await store.recordReportDocument(doc('slack', 'F0CANVAS1'))).toEqual(doc('slack', 'F0CANVAS1'));
        expect(await other.recordReportDocument(doc('slack', 'F0CANVAS2'))).toEqual(doc('slack', 'F0CANVAS1'));
        await other.recordReportDocument(doc('feishu', 'doxcn1'));
        await store.recordReportDocument({ ...doc('slack', 'F0OTHERWEEK'), week: '2024-W24' });
        expect(await store.listReportDocuments('payments-weekly', '2024-W23')).toEqual([doc('feishu', 'doxcn1'), doc('slack', 'F0CANVAS1')]);
        expect(await other.listReportDocuments('payments-weekly', '2024-W25')).toEqual([]);
      });

      it('marks a week the seed opens as seeded, only when the seed created it, and keeps the mark once published', async () => {
        const seeded = await store.openCycle('payments-weekly', '2024-W22', T0, { seeded: true });
        expect(seeded).toEqual({ teamId: 'payments-weekly', week: '2024-W22', status: 'open', createdAt: T0, posts: [], seeded: true });
        expect(await other.getCycle('payments-weekly', '2024-W22')).toEqual(seeded);
        expect((await store.markPublished('payments-weekly', '2024-W22', posts('seeded'), at(MINUTE))).seeded).toBe(true);
        expect((await other.listCycles('payments-weekly', 1))[0]?.seeded).toBe(true);

        // A week someone else opened first stays theirs: the seed gets it back as it is, unmarked.
        const theTeams = await store.openCycle('payments-weekly', '2024-W23', T0);
        expect(await other.openCycle('payments-weekly', '2024-W23', at(MINUTE), { seeded: true })).toEqual(theTeams);
        expect(await store.getCycle('payments-weekly', '2024-W23')).not.toHaveProperty('seeded');
      });
    });

    describe('submissions', () => {
      it('stores revision 1 for a first answer and nothing new when the same event comes again', async () => {
        const first = await store.recordSubmission(submission());
        expect(first).toEqual({ submission: { ...submission(), revision: 1 }, duplicate: false });
        const retry = await other.recordSubmission(submission({ rawText: 'retried delivery', receivedAt: at(3000) }));
        expect(retry).toEqual({ submission: { ...submission(), revision: 1 }, duplicate: true });
        expect(await store.submissionHistory(key)).toHaveLength(1);
      });

      it('stores one revision when the same event is delivered 50 times at once', async () => {
        const results = await concurrently(50, (s) => s.recordSubmission(submission()));
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(results.filter((r) => r.duplicate)).toHaveLength(49);
        for (const result of results) expect(result.submission).toEqual({ ...submission(), revision: 1 });
        expect(await store.submissionHistory(key)).toHaveLength(1);
      });

      it('numbers 20 concurrent answers of one owner 1..20 with no gap and no repeat', async () => {
        const results = await concurrently(20, (s, i) =>
          s.recordSubmission(submission({ eventId: `Ev${i}`, rawText: `answer ${i}`, sourceMessageId: `m${i}` })),
        );
        expect(results.every((r) => !r.duplicate)).toBe(true);
        const revisions = results.map((r) => r.submission.revision).sort((a, b) => a - b);
        expect(revisions).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        const history = await store.submissionHistory(key);
        expect(history.map((s) => s.revision)).toEqual(revisions);
        // Each stored revision is the one its caller was told about.
        for (const result of results) {
          expect(history[result.submission.revision - 1]!.eventId).toBe(result.submission.eventId);
        }
      });

      it('keeps both revisions and the raw text of each when an answer is edited', async () => {
        await store.recordSubmission(submission());
        const edit = await other.recordSubmission(
          submission({
            eventId: 'Ev002',
            rawText: '1. Shipped refunds v2 to 100%',
            content: { kind: 'list', items: [{ text: 'Shipped refunds v2 to 100%', children: [] }] },
            receivedAt: at(MINUTE),
          }),
        );
        expect(edit.submission.revision).toBe(2);
        const history = await store.submissionHistory(key);
        expect(history.map((s) => [s.revision, s.rawText])).toEqual([
          [1, '1. Shipped refunds v2\n   - behind a flag'],
          [2, '1. Shipped refunds v2 to 100%'],
        ]);
        expect(history[0]!.content).toEqual(submission().content);
        expect(history[0]!.rawPayload).toEqual(submission().rawPayload);
      });

      it('returns the highest revision of each section and owner of the week', async () => {
        await store.recordSubmission(submission({ eventId: 'a1', rawText: 'alice 1' }));
        await store.recordSubmission(submission({ eventId: 'a2', rawText: 'alice 2' }));
        await store.recordSubmission(submission({ eventId: 'a3', rawText: 'alice 3' }));
        await store.recordSubmission(submission({ eventId: 'b1', owner: 'bob', rawText: 'bob 1' }));
        await store.recordSubmission(submission({ eventId: 'c1', sectionId: 'incidents', rawText: 'incidents 1' }));
        await store.recordSubmission(submission({ eventId: 'c2', sectionId: 'incidents', rawText: 'incidents 2' }));
        await store.recordSubmission(submission({ eventId: 'w22', week: '2024-W22', rawText: 'last week' }));
        const latest = await other.latestSubmissions('payments-weekly', '2024-W23');
        expect(latest.map((s) => [s.sectionId, s.owner, s.revision, s.rawText])).toEqual([
          ['incidents', 'alice', 2, 'incidents 2'],
          ['o1', 'alice', 3, 'alice 3'],
          ['o1', 'bob', 1, 'bob 1'],
        ]);
        expect(await store.latestSubmissions('payments-weekly', '2024-W25')).toEqual([]);
      });

      it('leaves the raw payload out of the latest submissions, and keeps it in the history', async () => {
        await store.recordSubmission(submission({ eventId: 'p1' }));
        const [latest] = await other.latestSubmissions(key.teamId, key.week);
        expect(latest).toBeDefined();
        expect('rawPayload' in latest!).toBe(false);
        expect(latest!.content).toEqual(submission().content);
        expect((await other.submissionHistory(key))[0]!.rawPayload).toEqual(submission().rawPayload);
      });

      it('finds the latest submission that came from a chat message, on that platform only', async () => {
        await store.recordSubmission(submission({ eventId: 'e1', sourceMessageId: 'msg-1' }));
        await store.recordSubmission(submission({ eventId: 'e2', sourceMessageId: 'msg-1', rawText: 'edited' }));
        await store.recordSubmission(submission({ eventId: 'e3', sourceMessageId: 'msg-2', owner: 'bob' }));
        const found = await other.findSubmissionBySourceMessage('slack', 'msg-1');
        expect(found).toMatchObject({ eventId: 'e2', revision: 2, rawText: 'edited' });
        expect(await store.findSubmissionBySourceMessage('slack', 'msg-2')).toMatchObject({ owner: 'bob', revision: 1 });
        expect(await store.findSubmissionBySourceMessage('feishu', 'msg-1')).toBeNull();
        expect(await store.findSubmissionBySourceMessage('slack', 'nope')).toBeNull();
      });

      it('keeps a submission without source message or payload as it came', async () => {
        const input = submission({ sourceMessageId: undefined, rawPayload: undefined, rawText: '' });
        delete input.sourceMessageId;
        delete input.rawPayload;
        const { submission: stored } = await store.recordSubmission(input);
        expect(stored).toEqual({ ...input, revision: 1 });
        expect(await store.submissionHistory(key)).toEqual([{ ...input, revision: 1 }]);
      });

      it('keeps a skip and a start over as marked, in the history and the latest answers', async () => {
        await store.recordSubmission(submission({ eventId: 's1', parts: [], skipped: true, content: { kind: 'list', items: [] } }));
        await store.recordSubmission(submission({ eventId: 's2', parts: [], startedOver: true, content: { kind: 'list', items: [] } }));
        const history = await other.submissionHistory(key);
        expect(history.map((s) => [s.skipped ?? false, s.startedOver ?? false])).toEqual([
          [true, false],
          [false, true],
        ]);
        expect((await other.latestSubmissions(key.teamId, key.week))[0]).toMatchObject({ revision: 2, startedOver: true, parts: [] });
        expect(await other.latestSubmission(key)).toMatchObject({ revision: 2, startedOver: true });
      });

      it('stores a raw payload as received, even with keys MongoDB would not take as field names', async () => {
        const rawPayload = {
          event: { 'rich.text': [{ $type: 'text', text: 'a.b' }], 'user.id': 'U1' },
          header: { event_id: 'Ev9', token: null },
          nested: [[1, 2], { deep: { deeper: ['x'] } }],
        };
        await store.recordSubmission(submission({ eventId: 'odd', rawPayload }));
        expect((await other.submissionHistory(key))[0]!.rawPayload).toEqual(rawPayload);
      });

      it('hands out copies: changing a returned submission does not change what is stored', async () => {
        const input = submission();
        const { submission: returned } = await store.recordSubmission(input);
        (returned.content as { items: unknown[] }).items.push({ text: 'injected', children: [] });
        (input.rawPayload as { text: string }).text = 'mutated after the call';
        const [history] = await store.submissionHistory(key);
        expect(history!.content).toEqual(submission().content);
        expect(history!.rawPayload).toEqual(submission().rawPayload);
        (history!.content as { items: unknown[] }).items.length = 0;
        expect((await store.latestSubmissions(key.teamId, key.week))[0]!.content).toEqual(submission().content);
      });
    });

    describe('prompts', () => {
      it('reserves a prompt once', async () => {
        expect(await store.reservePrompt(key, 'slack', T0)).toBe('new');
        expect(await other.reservePrompt(key, 'slack', at(1000))).toBeNull();
        expect(await store.listPrompts(key.teamId, key.week)).toEqual([{ ...key, platform: 'slack', state: 'sending', createdAt: T0 }]);
      });

      it('lets exactly one of ten concurrent reservations through', async () => {
        const results = await concurrently(10, (s) => s.reservePrompt(key, 'slack', T0));
        expect(count(results)).toBe(1);
      });

      it('lets one caller take over a prompt stuck in "sending" after the stale time, and not before', async () => {
        expect(await store.reservePrompt(key, 'slack', T0)).toBe('new');
        expect(await other.reservePrompt(key, 'slack', at(PROMPT_SENDING_STALE_MS - 1))).toBeNull();
        const later = at(PROMPT_SENDING_STALE_MS + MINUTE);
        const results = await concurrently(10, (s) => s.reservePrompt(key, 'slack', later));
        // Taken over as `resumed`: the one who gets it looks for the message before sending again.
        expect(results.filter((r) => r === 'resumed')).toHaveLength(1);
        expect(count(results)).toBe(1);
        // The new reservation is fresh: it cannot be taken over again right away.
        expect(await store.reservePrompt(key, 'slack', at(PROMPT_SENDING_STALE_MS + MINUTE + 1000))).toBeNull();
        const prompts = await store.listPrompts(key.teamId, key.week);
        expect(prompts).toHaveLength(1);
        expect(prompts[0]).toMatchObject({ state: 'sending' });
      });

      it('never takes over a prompt that was sent, however old', async () => {
        await store.reservePrompt(key, 'slack', T0);
        await store.markPromptSent(key, { channel: 'D0ALICE', messageId: '1717405200.000100' }, at(1000));
        expect(await other.reservePrompt(key, 'slack', at(30 * 24 * 60 * MINUTE))).toBeNull();
      });

      it('records where a prompt was sent and finds it by message', async () => {
        await store.reservePrompt(key, 'slack', T0);
        await other.markPromptSent(key, { channel: 'D0ALICE', messageId: '1717405200.000100' }, at(1000));
        const expected = {
          ...key,
          platform: 'slack',
          state: 'sent',
          channel: 'D0ALICE',
          messageId: '1717405200.000100',
          createdAt: T0,
          sentAt: at(1000),
        };
        expect(await store.findPromptByMessage('slack', '1717405200.000100')).toEqual(expected);
        expect(await store.findPromptByMessage('feishu', '1717405200.000100')).toBeNull();
        expect(await store.listPrompts(key.teamId, key.week)).toEqual([expected]);
        // A second record (a resumed send that found the first message, say) changes nothing.
        await store.markPromptSent(key, { channel: 'D0ALICE', messageId: '1717405299.000200' }, at(2000));
        expect(await other.listPrompts(key.teamId, key.week)).toEqual([expected]);
        // Answered after it was sent: still found by its message, for replies in its thread.
        await store.markPromptAnswered(key);
        expect(await other.findPromptByMessage('slack', '1717405200.000100')).toEqual({ ...expected, state: 'answered' });
      });

      it('keeps a reservation its sender renews, and lets a stale one be taken over however it is renewed late', async () => {
        await store.reservePrompt(key, 'slack', T0);
        // A send waiting out rate limits for three stale times, renewed all along.
        for (let t = PROMPT_SENDING_STALE_MS / 2; t <= 3 * PROMPT_SENDING_STALE_MS; t += PROMPT_SENDING_STALE_MS / 2) {
          await store.renewPromptReservation(key, at(t));
          expect(await other.reservePrompt(key, 'slack', at(t + 1000))).toBeNull();
        }
        // The sender stops (it crashed): once stale, a late renewal does not revive it.
        const stale = 4 * PROMPT_SENDING_STALE_MS + 2000;
        await store.renewPromptReservation(key, at(stale));
        expect(await other.reservePrompt(key, 'slack', at(stale))).toBe('resumed');
        expect(await store.listPrompts(key.teamId, key.week)).toEqual([{ ...key, platform: 'slack', state: 'sending', createdAt: T0 }]);
      });

      it('gives a reservation back after a failed send as one to resume at once, and never releases a sent prompt', async () => {
        await store.reservePrompt(key, 'slack', T0);
        await store.releasePrompt(key);
        const results = await concurrently(4, (s) => s.reservePrompt(key, 'slack', at(1000)));
        expect(results.filter((r) => r === 'resumed')).toHaveLength(1);
        expect(count(results)).toBe(1);
        await other.markPromptSent(key, { channel: 'D0ALICE', messageId: 'm1' }, at(2000));
        await store.releasePrompt(key);
        expect(await store.findPromptByMessage('slack', 'm1')).toMatchObject({ state: 'sent' });
        expect(await other.reservePrompt(key, 'slack', at(3000))).toBeNull();
      });

      it('claims a reminder once, only for a prompt that was sent and not answered', async () => {
        expect(await store.claimReminder(key, T0)).toBe(false);
        await store.reservePrompt(key, 'slack', T0);
        expect(await store.claimReminder(key, at(1000))).toBe(false);
        await store.markPromptSent(key, { channel: 'D0ALICE', messageId: 'm1' }, at(2000));
        const results = await concurrently(10, (s) => s.claimReminder(key, at(3000)));
        expect(count(results)).toBe(1);
        expect(await store.claimReminder(key, at(4000))).toBe(false);
        expect(await store.findPromptByMessage('slack', 'm1')).toMatchObject({ state: 'reminded', remindedAt: at(3000) });

        const bob = { ...key, owner: 'bob' };
        await store.reservePrompt(bob, 'slack', T0);
        await store.markPromptSent(bob, { channel: 'D0BOB', messageId: 'm2' }, at(2000));
        await other.markPromptAnswered(bob);
        expect(await store.claimReminder(bob, at(3000))).toBe(false);
        expect(await store.findPromptByMessage('slack', 'm2')).toMatchObject({ state: 'answered' });
      });

      it('lists the prompts of one week by section and owner', async () => {
        await store.reservePrompt({ ...key, owner: 'bob' }, 'slack', T0);
        await store.reservePrompt({ ...key, sectionId: 'incidents' }, 'feishu', T0);
        await store.reservePrompt(key, 'slack', T0);
        await store.reservePrompt({ ...key, week: '2024-W24' }, 'slack', T0);
        const listed = (await other.listPrompts(key.teamId, key.week)).map((p) => [p.sectionId, p.owner, p.platform]);
        expect(listed).toEqual([
          ['incidents', 'alice', 'feishu'],
          ['o1', 'alice', 'slack'],
          ['o1', 'bob', 'slack'],
        ]);
      });
    });

    describe('job runs', () => {
      const job: JobRunKey = { teamId: 'payments-weekly', week: '2024-W23', job: 'open' };
      const lease = 5 * MINUTE;

      it('lets exactly one of two concurrent claims through', async () => {
        const results = await Promise.all([store.claimJobRun(job, 'replica-a', T0, lease), other.claimJobRun(job, 'replica-b', T0, lease)]);
        expect(count(results)).toBe(1);
        expect(await store.claimJobRun(job, 'replica-c', at(lease - 1), lease)).toBe(false);
        expect(await store.claimJobRun({ ...job, job: 'remind' }, 'replica-c', T0, lease)).toBe(true);
      });

      it('lets one of two contenders take over a lease that expired unfinished', async () => {
        expect(await store.claimJobRun(job, 'crashed', T0, lease)).toBe(true);
        const later = at(lease + MINUTE);
        const results = await Promise.all([store.claimJobRun(job, 'replica-a', later, lease), other.claimJobRun(job, 'replica-b', later, lease)]);
        expect(count(results)).toBe(1);
        const winner = results[0] ? 'replica-a' : 'replica-b';
        // The old holder finishing late does not count: the run is the new holder's now.
        await store.finishJobRun(job, 'crashed', at(lease + 2 * MINUTE));
        expect(await store.isJobRunDone(job)).toBe(false);
        await other.finishJobRun(job, winner, at(lease + 3 * MINUTE));
        expect(await store.isJobRunDone(job)).toBe(true);
      });

      it('lets a released run be claimed at once, and only the holder release it', async () => {
        expect(await store.claimJobRun(job, 'replica-a', T0, lease)).toBe(true);
        await other.releaseJobRun(job, 'replica-b');
        expect(await other.claimJobRun(job, 'replica-b', at(MINUTE), lease)).toBe(false);
        await store.releaseJobRun(job, 'replica-a');
        const results = await concurrently(4, (s, i) => s.claimJobRun(job, `replica-${i}`, at(2 * MINUTE), lease));
        expect(count(results)).toBe(1);
        expect(await store.isJobRunDone(job)).toBe(false);
      });

      it('renews a lease for its holder only, and never once it expired', async () => {
        expect(await store.claimJobRun(job, 'replica-a', T0, lease)).toBe(true);
        expect(await other.renewJobRun(job, 'replica-b', at(MINUTE), lease)).toBe(false);
        // Renewed every minute for twice the lease: nobody can take it over meanwhile.
        for (let t = MINUTE; t <= 2 * lease; t += MINUTE) {
          expect(await other.renewJobRun(job, 'replica-a', at(t), lease)).toBe(true);
          expect(await store.claimJobRun(job, 'replica-b', at(t + 1000), lease)).toBe(false);
        }
        // The heartbeat stops; once the lease ran out, a late beat renews nothing and the holder must stop.
        const expired = at(3 * lease + MINUTE);
        expect(await store.renewJobRun(job, 'replica-a', expired, lease)).toBe(false);
        expect(await other.claimJobRun(job, 'replica-b', expired, lease)).toBe(true);
        expect(await store.renewJobRun(job, 'replica-a', expired, lease)).toBe(false);
        expect(await store.renewJobRun(job, 'replica-b', at(3 * lease + 2 * MINUTE), lease)).toBe(true);
        await store.finishJobRun(job, 'replica-b', at(3 * lease + 3 * MINUTE));
        expect(await other.renewJobRun(job, 'replica-b', at(3 * lease + 4 * MINUTE), lease)).toBe(false);
      });

      it('gives an expired lease to exactly one of a late heartbeat and two contenders', async () => {
        await store.claimJobRun(job, 'replica-a', T0, lease);
        const later = at(lease + MINUTE);
        const [renewed, b, c] = await Promise.all([
          store.renewJobRun(job, 'replica-a', later, lease),
          other.claimJobRun(job, 'replica-b', later, lease),
          store.claimJobRun(job, 'replica-c', later, lease),
        ]);
        expect(renewed).toBe(false);
        expect(count([b, c])).toBe(1);
      });

      it('never claims a finished job again', async () => {
        expect(await store.isJobRunDone(job)).toBe(false);
        await store.claimJobRun(job, 'replica-a', T0, lease);
        await store.finishJobRun(job, 'replica-a', at(MINUTE));
        expect(await other.isJobRunDone(job)).toBe(true);
        const muchLater = at(30 * 24 * 60 * MINUTE);
        const results = await concurrently(4, (s, i) => s.claimJobRun(job, `replica-${i}`, muchLater, lease));
        expect(count(results)).toBe(0);
      });

      it('gives back at once what a restarted holder held, and nothing of anyone else’s', async () => {
        const remind = { ...job, job: 'remind' as const };
        const otherPrompt = { ...key, owner: 'someone-else' };
        expect(await store.claimJobRun(job, 'crashed', T0, lease)).toBe(true);
        expect(await store.claimJobRun(remind, 'alive', T0, lease)).toBe(true);
        expect(await store.reservePrompt(key, 'slack', T0, 'crashed')).toBe('new');
        expect(await store.reservePrompt(otherPrompt, 'slack', T0, 'alive')).toBe('new');
        expect(await store.claimPublication(key.teamId, key.week, '1'.repeat(64), 'crashed', T0, lease)).toMatchObject({ status: 'claimed' });

        expect(await other.releaseHolder('crashed')).toEqual({ jobRuns: 1, publications: 1, prompts: 1 });
        // Well within every lease and stale time: the crashed holder's claims are free now …
        const soon = at(1000);
        expect(await other.claimJobRun(job, 'restarted', soon, lease)).toBe(true);
        expect(await other.reservePrompt(key, 'slack', soon, 'restarted')).toBe('resumed');
        expect(await other.claimPublication(key.teamId, key.week, '1'.repeat(64), 'restarted', soon, lease)).toEqual({
          status: 'claimed',
          claim: { teamId: key.teamId, week: key.week, sequence: 1 },
        });
        // … and the live holder's are not.
        expect(await other.claimJobRun(remind, 'restarted', soon, lease)).toBe(false);
        expect(await other.reservePrompt(otherPrompt, 'slack', soon, 'restarted')).toBeNull();
        expect(await store.renewJobRun(remind, 'alive', soon, lease)).toBe(true);
        // Nothing left of it: a second release (a second restart) gives back nothing.
        expect(await store.releaseHolder('crashed')).toEqual({ jobRuns: 0, publications: 0, prompts: 0 });
      });
    });

    describe('publications', () => {
      const H1 = '1'.repeat(64);
      const H2 = '2'.repeat(64);
      const claimed = (sequence: number) => ({ status: 'claimed', claim: { teamId: key.teamId, week: key.week, sequence } });

      it('gives the next publication to exactly one of concurrent replicas, and none to the same content again', async () => {
        expect(await store.claimPublication(key.teamId, key.week, H1, 'replica-a', T0, MINUTE)).toEqual(claimed(1));
        await store.finishPublication({ teamId: key.teamId, week: key.week, sequence: 1 }, 'replica-a', at(1000));

        // A change, republished by four replicas at once: one posts it, the others see it running.
        const results = await concurrently(4, (s, i) => s.claimPublication(key.teamId, key.week, H2, `replica-${i}`, at(MINUTE), MINUTE));
        expect(results.filter((r) => r.status === 'claimed')).toEqual([claimed(2)]);
        expect(results.filter((r) => r.status === 'busy')).toHaveLength(3);
        const winner = `replica-${results.findIndex((r) => r.status === 'claimed')}`;
        await other.finishPublication({ teamId: key.teamId, week: key.week, sequence: 2 }, winner, at(MINUTE + 1000));

        // A replayed command: the same content was published last, so there is nothing to do.
        expect(await other.claimPublication(key.teamId, key.week, H2, 'replica-x', at(2 * MINUTE), MINUTE)).toEqual({ status: 'unchanged' });
        // Changed back to what was published first: that is a new publication, not a repeat.
        expect(await store.claimPublication(key.teamId, key.week, H1, 'replica-x', at(3 * MINUTE), MINUTE)).toEqual(claimed(3));
        expect(await store.claimPublication('other-team', key.week, H1, 'replica-x', at(3 * MINUTE), MINUTE)).toMatchObject({ status: 'claimed' });
      });

      it('lets one contender take over a publication whose holder crashed, and redoes a released one', async () => {
        expect(await store.claimPublication(key.teamId, key.week, H1, 'crashed', T0, MINUTE)).toEqual(claimed(1));
        expect(await other.claimPublication(key.teamId, key.week, H1, 'replica-a', at(MINUTE), MINUTE)).toEqual({ status: 'busy' });
        const later = at(2 * MINUTE);
        const results = await concurrently(4, (s, i) => s.claimPublication(key.teamId, key.week, H1, `replica-${i}`, later, MINUTE));
        expect(results.filter((r) => r.status === 'claimed')).toEqual([claimed(1)]);
        const winner = `replica-${results.findIndex((r) => r.status === 'claimed')}`;
        // The crashed holder finishing late changes nothing; the new holder gives it back (a platform failed).
        await store.finishPublication({ teamId: key.teamId, week: key.week, sequence: 1 }, 'crashed', later);
        await store.releasePublication({ teamId: key.teamId, week: key.week, sequence: 1 }, 'crashed');
        expect(await other.claimPublication(key.teamId, key.week, H1, 'replica-y', at(2 * MINUTE + 1000), MINUTE)).toEqual({ status: 'busy' });
        await store.releasePublication({ teamId: key.teamId, week: key.week, sequence: 1 }, winner);
        expect(await other.claimPublication(key.teamId, key.week, H1, 'replica-y', at(2 * MINUTE + 2000), MINUTE)).toEqual(claimed(1));
      });
    });

    describe('numbers handed out once', () => {
      it('hands out 1, 2, 3 … of a series, each to one of many concurrent callers, and series apart', async () => {
        expect(await store.claimNumber('console-chat', T0)).toBe(1);
        // Ten local chats starting at once on two replicas: ten different numbers, none skipped.
        const numbers = await concurrently(10, (s) => s.claimNumber('console-chat', at(MINUTE)));
        expect([...numbers].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
        expect(await other.claimNumber('console-chat', at(2 * MINUTE))).toBe(12);
        expect(await store.claimNumber('another-series', at(2 * MINUTE))).toBe(1);
      });
    });

    describe('absences', () => {
      it('lists a team’s absences, and keeps one when the same is recorded again at once', async () => {
        const absence = { teamId: 'payments-weekly', person: 'owner-o2', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: T0 };
        await concurrently(5, (s) => s.recordAbsence(absence));
        await store.recordAbsence({ ...absence, person: 'owner-o1', at: at(MINUTE) });
        await store.recordAbsence({ ...absence, teamId: 'other-team' });
        expect(await other.listAbsences('payments-weekly')).toEqual([absence, { ...absence, person: 'owner-o1', at: at(MINUTE) }]);
      });

      it('cancels an absence once, however many replicas cancel it at once, and lists it no more', async () => {
        const absence = { teamId: 'payments-weekly', person: 'owner-o2', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: T0 };
        const kept = { ...absence, person: 'owner-o1' };
        await store.recordAbsence(absence);
        await store.recordAbsence(kept);
        const cancel = { teamId: 'payments-weekly', person: 'owner-o2', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: at(MINUTE) };
        expect(count(await concurrently(5, (s) => s.cancelAbsence(cancel)))).toBe(1);
        expect(await other.listAbsences('payments-weekly')).toEqual([kept]);
        expect(await store.cancelAbsence(cancel)).toBe(false);
        // Never recorded, or another team's: nothing to cancel.
        expect(await store.cancelAbsence({ ...cancel, from: '2024-06-04' })).toBe(false);
        expect(await store.cancelAbsence({ ...cancel, person: 'owner-o1', teamId: 'other-team' })).toBe(false);
        expect(await other.listAbsences('payments-weekly')).toEqual([kept]);
      });

      it('records an absence again after it was cancelled, once, as of when it was recorded again', async () => {
        const absence = { teamId: 'payments-weekly', person: 'owner-o2', from: '2024-06-03', to: '2024-06-09', setBy: 'lead', at: T0 };
        await store.recordAbsence(absence);
        expect(await other.cancelAbsence({ ...absence, at: at(MINUTE) })).toBe(true);
        const again = { ...absence, setBy: 'owner-o1', at: at(2 * MINUTE) };
        await concurrently(4, (s) => s.recordAbsence(again));
        expect(await other.listAbsences('payments-weekly')).toEqual([again]);
        expect(await store.cancelAbsence({ ...absence, at: at(3 * MINUTE) })).toBe(true);
        expect(await other.listAbsences('payments-weekly')).toEqual([]);
      });
    });

    describe('delegations', () => {
      it('lists a week’s delegations oldest first, keeping one when the same is recorded again at once', async () => {
        const handed = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', person: 'owner-o2', setBy: 'lead', at: T0 };
        await concurrently(5, (s) => s.recordDelegation(handed));
        await store.recordDelegation({ ...handed, person: 'owner-o3', at: at(MINUTE) });
        await store.recordDelegation({ ...handed, week: '2024-W24' });
        expect(await other.listDelegations('payments-weekly', '2024-W23')).toEqual([handed, { ...handed, person: 'owner-o3', at: at(MINUTE) }]);
      });

      it('gives a section back to the person it was first handed to when they are named again: the latest counts', async () => {
        const handed = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', person: 'owner-o2', setBy: 'lead', at: T0 };
        await store.recordDelegation(handed);
        await store.recordDelegation({ ...handed, person: 'owner-o3', at: at(MINUTE) });
        await other.recordDelegation({ ...handed, at: at(2 * MINUTE) });
        expect((await store.listDelegations('payments-weekly', '2024-W23')).at(-1)).toEqual({ ...handed, at: at(2 * MINUTE) });
      });

      it('cancels the delegation in force once, however many replicas cancel it at once, and hands the section over again after', async () => {
        const handed = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', person: 'owner-o2', setBy: 'lead', at: T0 };
        const other2 = { ...handed, sectionId: 'o2', person: 'owner-o3' };
        await store.recordDelegation(handed);
        await store.recordDelegation({ ...handed, person: 'owner-o3', at: at(MINUTE) });
        await store.recordDelegation(other2);
        const cancel = { teamId: 'payments-weekly', week: '2024-W23', sectionId: 'o1', setBy: 'lead', at: at(2 * MINUTE) };
        const results = await concurrently(5, (s) => s.cancelDelegation(cancel));
        // The one in force was cancelled, by one of them; every delegation of the section before it is gone too.
        expect(results.filter(Boolean)).toEqual([{ ...handed, person: 'owner-o3', at: at(MINUTE) }]);
        expect(await other.listDelegations('payments-weekly', '2024-W23')).toEqual([other2]);
        expect(await store.cancelDelegation(cancel)).toBeNull();
        expect(await store.cancelDelegation({ ...cancel, week: '2024-W24' })).toBeNull();

        // The same person again, after the cancellation: handed over again, once.
        const again = { ...handed, at: at(3 * MINUTE) };
        await concurrently(4, (s) => s.recordDelegation(again));
        expect(await other.listDelegations('payments-weekly', '2024-W23')).toEqual([other2, again]);
      });
    });

    describe('goal reviews', () => {
      const review = (overrides: Partial<GoalReviewInput> = {}): GoalReviewInput => ({
        teamId: 'payments-weekly',
        week: '2024-W24',
        sectionId: 'next-week',
        goalsWeek: '2024-W23',
        owner: 'lead',
        platform: 'slack',
        eventId: 'EvGoal1',
        marks: [
          { goal: 1, status: 'done', note: '' },
          { goal: 2, status: 'in-progress', note: '等待评审' },
        ],
        rawText: '目标 1 完成\n目标 2 进行中 等待评审',
        receivedAt: T0,
        ...overrides,
      });

      it('stores each review as the next revision and lists the week’s, oldest first; a mark without a note stays without one', async () => {
        const first = await store.recordGoalReview(review());
        expect(first).toEqual({ review: { ...review(), revision: 1 }, duplicate: false });
        const choice = review({ eventId: 'goal-choice:1', marks: [{ goal: 3, status: 'dropped' }], rawText: 'goal 3 dropped', receivedAt: at(MINUTE) });
        expect((await other.recordGoalReview(choice)).review.revision).toBe(2);
        await store.recordGoalReview(review({ eventId: 'EvOtherWeek', week: '2024-W25' }));
        const listed = await other.listGoalReviews('payments-weekly', '2024-W24');
        expect(listed).toEqual([
          { ...review(), revision: 1 },
          { ...choice, revision: 2 },
        ]);
        expect(listed[1]!.marks[0]).not.toHaveProperty('note');
      });

      it('stores a delivery once, however often and wherever it arrives', async () => {
        const results = await concurrently(6, (s) => s.recordGoalReview(review()));
        expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
        expect(results.every((r) => r.review.revision === 1)).toBe(true);
        expect(await store.listGoalReviews('payments-weekly', '2024-W24')).toHaveLength(1);
      });

      it('numbers concurrent reviews 1…n without gap or repeat', async () => {
        const results = await concurrently(8, (s, i) => s.recordGoalReview(review({ eventId: `EvGoal-${i}`, marks: [{ goal: 1 + (i % 5), status: 'done' }] })));
        expect(results.map((r) => r.review.revision).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
        expect((await other.listGoalReviews('payments-weekly', '2024-W24')).map((r) => r.revision)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      });
    });

    describe('seen events', () => {
      it('says true the first time an event is seen and false after', async () => {
        expect(await store.markEventSeen('slack', 'Ev1', T0)).toBe(true);
        expect(await other.markEventSeen('slack', 'Ev1', at(1000))).toBe(false);
        expect(await store.markEventSeen('feishu', 'Ev1', at(1000))).toBe(true);
      });

      it('says true to exactly one of twenty concurrent deliveries', async () => {
        const results = await concurrently(20, (s) => s.markEventSeen('slack', 'Ev2', T0));
        expect(count(results)).toBe(1);
      });

      it('forgets an event after the window, whether or not the server expired it', async () => {
        await store.markEventSeen('slack', 'Ev3', T0);
        expect(await store.markEventSeen('slack', 'Ev3', at(SEEN_EVENT_WINDOW_MS - 1))).toBe(false);
        const later = at(SEEN_EVENT_WINDOW_MS + 1);
        const results = await concurrently(10, (s) => s.markEventSeen('slack', 'Ev3', later));
        expect(count(results)).toBe(1);
        expect(await store.markEventSeen('slack', 'Ev3', at(SEEN_EVENT_WINDOW_MS + 2))).toBe(false);
      });
    });
  });
}

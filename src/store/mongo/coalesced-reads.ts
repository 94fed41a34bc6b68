/**
 * Reads of the same kind that callers ask for at about the same time, made as one query: what a
 * store does when many teams ask for their answers of the same week together (twenty teams
 * opening at Tuesday 15:30). On FerretDB every such read is a scan of the whole collection, so
 * forty scans at once took seconds each; as one query they are one scan.
 *
 * Per key (the week), at most one query is under way. The first caller's query starts at once;
 * callers arriving while it runs join the next query, which starts when it ends and asks for all
 * of their members (the teams) together. A query always starts after every one of its callers
 * asked, so nobody gets an answer older than their question.
 */
export class CoalescedReads<Member, Value> {
  /** Per key: the query not started yet (its members still growing), and the one under way. */
  private readonly waiting = new Map<string, { members: Set<Member>; result: Promise<Map<Member, Value>> }>();
  private readonly running = new Map<string, Promise<void>>();

  constructor(private readonly query: (key: string, members: Member[]) => Promise<Map<Member, Value>>) {}

  /** `member`'s part of a query of `key` asked for it and anyone else at about the same time. */
  async read(key: string, member: Member): Promise<Value | undefined> {
    const waiting = this.waiting.get(key);
    if (waiting) {
      waiting.members.add(member);
      return (await waiting.result).get(member);
    }
    const members = new Set([member]);
    const before = this.running.get(key) ?? Promise.resolve();
    const result = before.then(() => {
      // From here on, new callers form the next query.
      this.waiting.delete(key);
      return this.query(key, [...members]);
    });
    this.waiting.set(key, { members, result });
    const settled = result.then(
      () => {},
      () => {},
    );
    this.running.set(key, settled);
    void settled.then(() => {
      if (this.running.get(key) === settled) this.running.delete(key);
    });
    return (await result).get(member);
  }
}

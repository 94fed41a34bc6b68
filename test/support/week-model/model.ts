/**
 * The reference model of one team's week: a plain description of what the leads and owners did,
 * and what the bot should therefore show. No store, no clock, no parsing: the bot's `status`,
 * `preview`, posted report, participation and JSON export are compared with what this derives
 * (./checks.ts), after random sequences of the week's events (./commands.ts).
 *
 * An owner's answer is the list of its revisions; a revision is the owner's messages' parts (each a
 * few tokens such as `事项-7`, which the bot's output must show in the same order), whether they
 * said there is nothing this week (skip), whether it was a `重写`, and when it arrived. The rules
 * are docs/using.md's, those decided for #20 included:
 * - a message adds a part, an edit replaces its part (or adds it, when it is not in the answer any
 *   more), a deletion removes it (a message not in the answer changes nothing), a form replaces
 *   all, `本周无` empties and skips, `重写` empties;
 * - one section, one owner at a time: after `delegate`, only the delegate may write it that week;
 *   its answers print its owners' first, then the delegate's, then earlier delegates';
 * - counts add up: a section is in one state; skipped is its own; a co-owner is covered when another
 *   owner of the section answered or skipped it;
 * - a change after publishing updates the posted report and tells the lead, except `重写`: until
 *   the owner sends something new, everything shows the answer as it was before it.
 */

export interface SectionFacts {
  id: string;
  title: string;
  kind: 'list' | 'text' | 'entries';
  /** As the team definition lists them, in its order. */
  owners: readonly string[];
}

export interface Part {
  /** The chat message it came from; none for a form. */
  messageId: string | null;
  tokens: string[];
}

export interface Revision {
  parts: Part[];
  skipped: boolean;
  /** A `重写`. */
  startedOver: boolean;
  at: Date;
}

export type SectionState = 'answered' | 'skipped' | 'missing' | 'away';
export type Participation = 'on-time' | 'late' | 'skipped' | 'missing' | 'away';

/** What an owner's message does to their answer. */
export type Change =
  | { kind: 'add'; part: Part }
  | { kind: 'edit'; part: Part }
  | { kind: 'delete'; messageId: string }
  | { kind: 'replace'; part: Part }
  | { kind: 'skip' }
  | { kind: 'clear' };

/** The report as last posted. */
export interface Posted {
  tokens: Map<string, string[]>;
  states: Map<string, SectionState>;
  /** Titles of the sections changed after the first posting, as its header says. */
  updatedAfterPublishing: string[];
}

export interface WeekMoments {
  open: Date;
  remind: Date;
  publish: Date;
  /** Any moment of the week, from the team's day and time. */
  at(moment: { day: string; time: string }): Date;
}

const key = (sectionId: string, person: string) => `${sectionId}\u0000${person}`;

export class WeekModel {
  now: Date;
  openedAt: Date | null = null;
  firstPublishedAt: Date | null = null;
  /** Each person's revisions of each section, oldest first. */
  readonly answers = new Map<string, Revision[]>();
  /** Section → whom it is handed to this week. */
  readonly handedTo = new Map<string, string>();
  /** Sections handed over at some point this week. */
  readonly everHanded = new Set<string>();
  /** The absences in force (`away`), and whether each falls in the week's collection window. */
  readonly absences: { person: string; from: string; to: string; inWindow: boolean }[] = [];
  /** (section, person) asked with a prompt, once each, and when. */
  readonly prompted = new Map<string, Date>();
  /** (section, person) reminded: once each, at most. */
  readonly reminded = new Set<string>();
  private remindJobDone = false;
  posted: Posted | null = null;
  /** How many times the report file was posted: once, then once per change of its text. */
  postedFiles = 0;
  /** ✏️ messages to the leads: one each per change after publishing. */
  leadNotices = 0;
  /** Messages with content the bot stored, in the order sent: what edits and deletions can name. */
  readonly typed: { messageId: string; owner: string; sectionId: string }[] = [];
  private nextToken = 1;

  constructor(
    readonly week: string,
    readonly sections: readonly SectionFacts[],
    readonly leads: readonly string[],
    readonly moments: WeekMoments,
    start: Date,
  ) {
    this.now = start;
  }

  get open(): boolean {
    return this.openedAt !== null;
  }

  get published(): boolean {
    return this.firstPublishedAt !== null;
  }

  section(sectionId: string): SectionFacts {
    const section = this.sections.find((s) => s.id === sectionId);
    if (!section) throw new Error(`no section ${sectionId}`);
    return section;
  }

  token(kind: SectionFacts['kind']): string {
    return `${kind === 'list' ? '事项' : kind === 'text' ? '说明' : '事件'}-${this.nextToken++}`;
  }

  /** Who owns the section this week: whom it is handed to, or its owners. */
  owners(sectionId: string): readonly string[] {
    const to = this.handedTo.get(sectionId);
    return to ? [to] : this.section(sectionId).owners;
  }

  /** People away during the week's collection window: not asked, and away rather than missing. */
  get away(): ReadonlySet<string> {
    return new Set(this.absences.filter((a) => a.inWindow).map((a) => a.person));
  }

  mayWrite(person: string, sectionId: string): boolean {
    return this.owners(sectionId).includes(person);
  }

  /** The person's answer as they write it: their latest revision. */
  latest(sectionId: string, person: string): Revision | undefined {
    return this.answers.get(key(sectionId, person))?.at(-1);
  }

  /**
   * The person's answer as the week shows it (report, preview, status, participation, export), with
   * its revision number: the latest, except that a `重写` after the report first went out shows the
   * revision before it until something new arrives.
   */
  shown(sectionId: string, person: string): { revision: Revision; number: number } | undefined {
    const revisions = this.answers.get(key(sectionId, person)) ?? [];
    let at = revisions.length - 1;
    while (at >= 0 && this.pendingStartOver(revisions[at]!)) at -= 1;
    return at >= 0 ? { revision: revisions[at]!, number: at + 1 } : undefined;
  }

  private pendingStartOver(r: Revision): boolean {
    return r.startedOver && this.firstPublishedAt !== null && r.at > this.firstPublishedAt;
  }

  /** An answer counts when it says something or that there is nothing; an emptied one does not. */
  private counts(r: Revision | undefined): r is Revision {
    return r !== undefined && (r.skipped || r.parts.some((p) => p.tokens.length > 0));
  }

  /**
   * Whose answers the section prints, in order: its owners as the definition lists them, then whom it
   * is handed to, then anyone else who wrote it (an earlier delegate) by person key.
   */
  writers(sectionId: string): string[] {
    const wrote = [...this.answers.keys()].filter((k) => k.startsWith(`${sectionId}\u0000`)).map((k) => k.slice(sectionId.length + 1));
    const order = [...new Set([...this.section(sectionId).owners, ...this.owners(sectionId), ...wrote.sort()])];
    return order.filter((person) => this.counts(this.shown(sectionId, person)?.revision));
  }

  /** The section's tokens as the report prints them. */
  tokens(sectionId: string): string[] {
    return this.writers(sectionId).flatMap((person) => {
      const { revision } = this.shown(sectionId, person)!;
      return revision.skipped ? [] : revision.parts.flatMap((p) => p.tokens);
    });
  }

  state(sectionId: string): SectionState {
    const writers = this.writers(sectionId);
    if (writers.length > 0) return writers.every((p) => this.shown(sectionId, p)!.revision.skipped) ? 'skipped' : 'answered';
    return this.owners(sectionId).every((p) => this.away.has(p)) ? 'away' : 'missing';
  }

  /** On time is at or before the report first went out, or is due to. */
  get publishMoment(): Date {
    return this.firstPublishedAt ?? this.moments.publish;
  }

  /**
   * How a person took part in a section: their own answer decides; a co-owner who did not answer is
   * covered by the others' answers (skipped when they all skipped, on time when one wrote on time).
   */
  participation(sectionId: string, person: string): Participation {
    const onTime = (r: Revision) => r.at.getTime() <= this.publishMoment.getTime();
    const own = this.shown(sectionId, person)?.revision;
    if (this.counts(own)) return own.skipped ? 'skipped' : onTime(own) ? 'on-time' : 'late';
    const others = this.writers(sectionId).map((p) => this.shown(sectionId, p)!.revision);
    if (others.length > 0) {
      const written = others.filter((r) => !r.skipped);
      return written.length === 0 ? 'skipped' : written.some(onTime) ? 'on-time' : 'late';
    }
    return this.away.has(person) ? 'away' : 'missing';
  }

  // ---- What happens in the week ----

  /** Every owner of the week not asked yet, not away and without an answer is asked once. */
  fanOut(): void {
    const away = this.away;
    for (const section of this.sections) {
      for (const person of this.owners(section.id)) {
        if (this.answers.has(key(section.id, person)) || away.has(person) || this.prompted.has(key(section.id, person))) continue;
        this.prompted.set(key(section.id, person), this.now);
      }
    }
  }

  /** Prompts as (section, person), in the order they were sent. */
  prompts(): { sectionId: string; person: string }[] {
    return [...this.prompted.keys()].map((k) => {
      const [sectionId = '', person = ''] = k.split('\u0000');
      return { sectionId, person };
    });
  }

  openWeek(): void {
    this.openedAt ??= this.now;
    this.fanOut();
  }

  /**
   * The scheduler's sweep at `now`: the week opens at its open time, unless its publish time has
   * passed; its owners are reminded once at the reminder's time, until the publish time; it is
   * published at its publish time when it was opened before it.
   */
  runDueJobs(): void {
    if (this.published) return;
    const { open, remind, publish } = this.moments;
    if (this.now >= open && (this.open || this.now < publish)) this.openWeek();
    if (this.open && this.now >= remind && this.now < publish && !this.remindJobDone) {
      this.remindJobDone = true;
      this.remind(remind);
    }
    if (this.now >= publish && this.openedAt && this.openedAt < publish) this.publish();
  }

  /**
   * Who is reminded of a section, once: someone asked for it (before `promptedBefore`, for the
   * scheduled reminder) who owns it this week, has not answered it, is not away, and whose section
   * nobody has answered or skipped.
   */
  remind(promptedBefore?: Date): void {
    for (const [k, sentAt] of this.prompted) {
      const [sectionId = '', person = ''] = k.split('\u0000');
      if (promptedBefore && sentAt > promptedBefore) continue;
      if (this.answers.has(k) || this.away.has(person) || !this.mayWrite(person, sectionId) || this.writers(sectionId).length > 0) continue;
      this.reminded.add(k);
    }
  }

  publish(): void {
    this.firstPublishedAt ??= this.now;
    const first = this.firstPublishedAt;
    const tokens = new Map(this.sections.map((s) => [s.id, this.tokens(s.id)]));
    if (this.posted === null || this.sections.some((s) => tokens.get(s.id)!.join() !== this.posted!.tokens.get(s.id)!.join())) this.postedFiles += 1;
    const changedLate = (s: SectionFacts) =>
      [...this.answers.keys()].some((k) => k.startsWith(`${s.id}\u0000`) && (this.shown(s.id, k.slice(s.id.length + 1))?.revision.at ?? first) > first);
    this.posted = {
      tokens,
      states: new Map(this.sections.map((s) => [s.id, this.state(s.id)])),
      updatedAfterPublishing: this.sections.filter(changedLate).map((s) => s.title),
    };
  }

  /** An owner's change, stored as a revision; after publishing, the posted report follows and the leads are told, unless it is a `重写`. */
  change(sectionId: string, person: string, change: Change): void {
    const revisions = this.answers.get(key(sectionId, person)) ?? [];
    const revision: Revision = {
      parts: applied(this.latest(sectionId, person)?.parts ?? [], change),
      skipped: change.kind === 'skip',
      startedOver: change.kind === 'clear',
      at: this.now,
    };
    this.answers.set(key(sectionId, person), [...revisions, revision]);
    if (change.kind === 'add' && change.part.messageId) this.typed.push({ messageId: change.part.messageId, owner: person, sectionId });
    if (this.published && !this.pendingStartOver(revision)) {
      this.leadNotices += this.leads.length;
      this.publish();
    }
  }

  /** Whether a deletion changes the answer: only a message whose part is in it does. */
  deletes(sectionId: string, person: string, messageId: string): boolean {
    return this.latest(sectionId, person)?.parts.some((p) => p.messageId === messageId) ?? false;
  }

  delegate(sectionId: string, person: string): void {
    this.handedTo.set(sectionId, person);
    this.everHanded.add(sectionId);
    if (this.open) this.fanOut();
  }

  /** Its usual owners write it again (what the delegate sent stays); whether it was handed over. */
  cancelDelegation(sectionId: string): boolean {
    if (!this.handedTo.delete(sectionId)) return false;
    if (this.open) this.fanOut();
    return true;
  }

  /** The same absence again is kept once. */
  recordAbsence(absence: { person: string; from: string; to: string; inWindow: boolean }): void {
    if (!this.absences.some((a) => a.person === absence.person && a.from === absence.from && a.to === absence.to)) this.absences.push(absence);
  }

  /** The person's absences starting that day; whether there was one. Back from them, they are asked now if the week is open. */
  cancelAbsence(person: string, from: string): boolean {
    const cancelled = this.absences.filter((a) => a.person === person && a.from === from);
    for (const a of cancelled) this.absences.splice(this.absences.indexOf(a), 1);
    if (cancelled.length > 0 && this.open) this.fanOut();
    return cancelled.length > 0;
  }
}

function applied(parts: readonly Part[], change: Change): Part[] {
  switch (change.kind) {
    case 'add':
      return [...parts, change.part];
    case 'edit': {
      const at = parts.findIndex((p) => p.messageId === change.part.messageId);
      return at < 0 ? [...parts, change.part] : parts.map((p, i) => (i === at ? change.part : p));
    }
    case 'delete':
      return parts.filter((p) => p.messageId !== change.messageId);
    case 'replace':
      return [change.part];
    case 'skip':
    case 'clear':
      return [];
  }
}

import fc from 'fast-check';
import { DateTime } from 'luxon';
import { expect } from 'vitest';
import type { WeeklyMoment } from '../../../src/report/definition.ts';
import type { Acted, BotWeek } from './bot-week.ts';
import { CHECKS, tokensOf } from './checks.ts';
import type { SectionFacts, WeekModel } from './model.ts';

/**
 * The week's events as fast-check commands over (WeekModel, BotWeek): each does the same thing to
 * the model and to the bot, and checks what the bot answered the person who did it. Targets are
 * picked by index among what the model says is possible then (a prompt to reply to, a message to
 * edit), so every generated sequence can run and shrinks to one that still can.
 */

type Cmd = fc.AsyncCommand<WeekModel, BotWeek>;

/** Moments of the week where something changes: before the open, the open, collecting, the reminder, the deadline, after it, the weekend. */
export const MOMENTS: readonly WeeklyMoment[] = [
  { day: 'tuesday', time: '15:00' },
  { day: 'tuesday', time: '15:30' },
  { day: 'wednesday', time: '11:00' },
  { day: 'thursday', time: '16:00' },
  { day: 'friday', time: '16:30' },
  { day: 'friday', time: '17:00' },
  { day: 'friday', time: '19:00' },
  { day: 'saturday', time: '10:00' },
  { day: 'sunday', time: '22:00' },
];

/** Where each sequence starts: the Monday before the week opens. */
export const START: WeeklyMoment = { day: 'monday', time: '09:00' };

/** People act a minute apart: every change has its own time. */
function tick(m: WeekModel, bot: BotWeek): void {
  m.now = new Date(m.now.getTime() + 60_000);
  bot.clock.set(m.now);
}

type Wording = 'content' | 'skip' | 'start-over' | 'bad';

const SKIP_WORDS = ['本周无', '跳过', 'skip'];
const START_OVER_WORDS = ['重写', 'start over'];

/** A message's text and the tokens it adds: `lines` items of the section's kind. */
function contentText(m: WeekModel, section: SectionFacts, lines: number, numbered: boolean): { text: string; tokens: string[] } {
  const tokens = Array.from({ length: lines }, () => m.token(section.kind));
  const line = (token: string, i: number) =>
    section.kind === 'entries' ? `06/04 1${i}:00 ${token}` : numbered && section.kind === 'list' ? `${i + 1}. ${token}` : token;
  return { text: tokens.map(line).join('\n'), tokens };
}

/** A message the bot must refuse: its first line names a section the person does not own. */
function badText(m: WeekModel, section: SectionFacts, person: string): string {
  const other = m.sections.find((s) => s.id !== section.id && !s.owners.includes(person))!;
  return `${other.title}\n${contentText(m, section, 1, false).text}`;
}

type Outcome = 'stored' | 'cleared' | 'refused' | 'silent';

/** What the person was told: a confirmation with the section as it now reads, a refusal, or nothing. */
function expectSaid(m: WeekModel, sectionId: string, person: string, outcome: Outcome, texts: string[]): void {
  const said = texts.join('\n---\n');
  switch (outcome) {
    case 'stored': {
      expect(texts, `one confirmation to ${person}`).toHaveLength(1);
      expect(said, 'a confirmation').toMatch(/^✅/u);
      const revisions = m.answers.get(`${sectionId}\u0000${person}`)!;
      if (!revisions.at(-1)!.skipped) expect(said).toContain(`第 ${revisions.length} 版`);
      expect(tokensOf(said), `the confirmation shows ${sectionId} as it now reads`).toEqual(m.tokens(sectionId));
      return;
    }
    case 'cleared':
      expect(texts, `one answer to ${person}`).toHaveLength(1);
      expect(said).toMatch(/^🧹/u);
      return;
    case 'refused':
      expect(texts.length, `${person} is told why nothing was stored`).toBeGreaterThan(0);
      expect(said, 'nothing stored').not.toMatch(/^(✅|🧹)/mu);
      return;
    case 'silent':
      expect(texts, `nothing said to ${person}`).toEqual([]);
  }
}

/** Applies a person's message to the model, and checks what the bot told them. */
function applyMessage(
  m: WeekModel,
  bot: BotWeek,
  target: { sectionId: string; person: string },
  wording: Wording,
  sent: Acted,
  content: { tokens: string[] } | null,
): void {
  const { sectionId, person } = target;
  bot.lastReply = sent.reply;
  if (!m.open || !m.mayWrite(person, sectionId) || wording === 'bad') return expectSaid(m, sectionId, person, 'refused', sent.said);
  if (wording === 'skip') m.change(sectionId, person, { kind: 'skip' });
  else if (wording === 'start-over') m.change(sectionId, person, { kind: 'clear' });
  else m.change(sectionId, person, { kind: 'add', part: { messageId: sent.reply.messageId ?? null, tokens: content!.tokens } });
  expectSaid(m, sectionId, person, wording === 'start-over' ? 'cleared' : 'stored', sent.said);
}

function wordingText(
  m: WeekModel,
  section: SectionFacts,
  person: string,
  wording: Wording,
  variant: number,
  lines: number,
): { text: string; content: { tokens: string[] } | null } {
  switch (wording) {
    case 'content': {
      const content = contentText(m, section, lines, variant % 2 === 1);
      return { text: content.text, content };
    }
    case 'skip':
      return { text: SKIP_WORDS[variant % SKIP_WORDS.length]!, content: null };
    case 'start-over':
      return { text: START_OVER_WORDS[variant % START_OVER_WORDS.length]!, content: null };
    case 'bad':
      return { text: badText(m, section, person), content: null };
  }
}

/**
 * Where the subtle cases are: a section with several owners (counting, order), one handed over
 * this week (who may write it, order), one already written (handed over with text in it). Events
 * go there often.
 */
type Focus = 'any' | 'shared' | 'handed' | 'written';

function focused<T extends { sectionId: string; person?: string }>(m: Readonly<WeekModel>, options: T[], focus: Focus): T[] {
  const inFocus = options.filter(({ sectionId, person }) => {
    switch (focus) {
      case 'any':
        return true;
      case 'shared':
        return m.section(sectionId).owners.length > 1;
      case 'handed':
        // Someone's prompt: its delegate's now.
        return m.everHanded.has(sectionId) && (person === undefined || m.mayWrite(person, sectionId));
      case 'written':
        return m.writers(sectionId).length > 0;
    }
  });
  return inFocus.length > 0 ? inFocus : options;
}

/** An owner replies in the thread of one of their prompts. */
class Reply implements Cmd {
  constructor(
    readonly pick: number,
    readonly wording: Wording,
    readonly variant: number,
    readonly lines: number,
    readonly focus: Focus,
  ) {}
  private target(m: Readonly<WeekModel>) {
    const options = focused(m, m.prompts(), this.focus);
    return options.length > 0 ? options[this.pick % options.length] : undefined;
  }
  check(m: Readonly<WeekModel>): boolean {
    return this.target(m) !== undefined;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    const target = this.target(m)!;
    tick(m, bot);
    const { text, content } = wordingText(m, m.section(target.sectionId), target.person, this.wording, this.variant, this.lines);
    const sent = await bot.say(target.person, text, await bot.promptId(target.sectionId, target.person));
    applyMessage(m, bot, target, this.wording, sent, content);
  }
  toString(): string {
    return `reply(#${this.pick}${this.focus === 'any' ? '' : ` ${this.focus}`}, ${this.wording}${this.wording === 'content' ? ` ×${this.lines}` : ''})`;
  }
}

/** Someone who owns one section writes to the bot directly, outside any thread (before the week opens too). */
class Direct implements Cmd {
  constructor(
    readonly pick: number,
    readonly wording: Wording,
    readonly variant: number,
    readonly lines: number,
  ) {}
  private target(m: Readonly<WeekModel>) {
    // Someone who owns one section and was handed no other: which section a direct message is for
    // is then plain (it is refused when that section is handed to someone else).
    const options = [...new Set(m.sections.flatMap((s) => s.owners))].flatMap((person) => {
      const owned = m.sections.filter((s) => s.owners.includes(person));
      const handedTo = [...m.handedTo].some(([sectionId, to]) => to === person && !m.section(sectionId).owners.includes(person));
      if (owned.length !== 1 || handedTo) return [];
      return [{ sectionId: owned[0]!.id, person }];
    });
    return options.length > 0 ? options[this.pick % options.length] : undefined;
  }
  check(m: Readonly<WeekModel>): boolean {
    return this.target(m) !== undefined;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    const target = this.target(m)!;
    tick(m, bot);
    const { text, content } = wordingText(m, m.section(target.sectionId), target.person, this.wording, this.variant, this.lines);
    applyMessage(m, bot, target, this.wording, await bot.say(target.person, text), content);
  }
  toString(): string {
    return `direct(#${this.pick}, ${this.wording})`;
  }
}

/** An owner edits a message the bot stored. */
class Edit implements Cmd {
  constructor(
    readonly pick: number,
    readonly lines: number,
  ) {}
  private target(m: Readonly<WeekModel>) {
    const options = m.typed;
    return options.length > 0 ? options[this.pick % options.length] : undefined;
  }
  check(m: Readonly<WeekModel>): boolean {
    return this.target(m) !== undefined;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    const { messageId, owner, sectionId } = this.target(m)!;
    tick(m, bot);
    const { text, tokens } = contentText(m, m.section(sectionId), this.lines, false);
    const sent = await bot.edit(owner, messageId, text);
    bot.lastReply = sent.reply;
    if (!m.mayWrite(owner, sectionId)) return expectSaid(m, sectionId, owner, 'refused', sent.said);
    m.change(sectionId, owner, { kind: 'edit', part: { messageId, tokens } });
    expectSaid(m, sectionId, owner, 'stored', sent.said);
  }
  toString(): string {
    return `edit(#${this.pick}, ×${this.lines})`;
  }
}

/** An owner deletes a message the bot stored. */
class Delete implements Cmd {
  constructor(readonly pick: number) {}
  private target(m: Readonly<WeekModel>) {
    const options = m.typed;
    return options.length > 0 ? options[this.pick % options.length] : undefined;
  }
  check(m: Readonly<WeekModel>): boolean {
    return this.target(m) !== undefined;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    const target = this.target(m)!;
    const { messageId, owner, sectionId } = target;
    tick(m, bot);
    const sent = await bot.remove(owner, messageId);
    bot.lastReply = sent.reply;
    // A deleted message is gone from the chat: it can be neither edited nor deleted again.
    m.typed.splice(m.typed.indexOf(target), 1);
    if (!m.mayWrite(owner, sectionId)) return expectSaid(m, sectionId, owner, 'refused', sent.said);
    // A message whose part is not in the answer any more (after 重写, a skip, a form) changes nothing.
    if (!m.deletes(sectionId, owner, messageId)) return expectSaid(m, sectionId, owner, 'silent', sent.said);
    m.change(sectionId, owner, { kind: 'delete', messageId });
    expectSaid(m, sectionId, owner, 'stored', sent.said);
  }
  toString(): string {
    return `delete(#${this.pick})`;
  }
}

/** Someone submits a section's form: its owners, whom it is handed to, or someone else of the team. */
class Form implements Cmd {
  constructor(
    readonly section: number,
    readonly person: number,
    readonly skip: boolean,
    readonly lines: number,
    readonly focus: Focus,
  ) {}
  private target(m: Readonly<WeekModel>) {
    const sections = focused(
      m,
      m.sections.map((s) => ({ sectionId: s.id })),
      this.focus,
    );
    const section = m.section(sections[this.section % sections.length]!.sectionId);
    const outsider = m.sections.flatMap((s) => s.owners).find((p) => !section.owners.includes(p) && !m.owners(section.id).includes(p))!;
    const people = [...new Set([...section.owners, ...m.owners(section.id), outsider])];
    return { sectionId: section.id, person: people[this.person % people.length]! };
  }
  check(m: Readonly<WeekModel>): boolean {
    // A form is opened from a prompt or a confirmation: the week is open.
    return m.open;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    const { sectionId, person } = this.target(m);
    tick(m, bot);
    const content = this.skip ? null : contentText(m, m.section(sectionId), this.lines, true);
    const sent = await bot.submitForm(person, sectionId, content?.text ?? SKIP_WORDS[0]!);
    bot.lastReply = sent.reply;
    if (!m.mayWrite(person, sectionId)) return expectSaid(m, sectionId, person, 'refused', sent.said);
    m.change(sectionId, person, content ? { kind: 'replace', part: { messageId: null, tokens: content.tokens } } : { kind: 'skip' });
    expectSaid(m, sectionId, person, 'stored', sent.said);
  }
  toString(): string {
    return `form(section #${this.section}${this.focus === 'any' ? '' : ` ${this.focus}`}, person #${this.person}${this.skip ? ', 本周无' : ` ×${this.lines}`})`;
  }
}

/**
 * The platform delivers the last event again (a retry, to whichever process runs now): nothing
 * changes, nothing is said twice. A retry comes within minutes: the lead's commands and time
 * passing in between make the last event too old to deliver again.
 */
class Redeliver implements Cmd {
  check(): boolean {
    return true;
  }
  async run(_m: WeekModel, bot: BotWeek): Promise<void> {
    if (!bot.lastReply) return;
    const { said } = await bot.redeliver(bot.lastReply);
    expect(said, 'a delivery again is answered once only').toEqual([]);
  }
  toString(): string {
    return 'redeliver';
  }
}

/** `delegate <section> <person>` for this week. */
class Delegate implements Cmd {
  constructor(
    readonly section: number,
    readonly person: number,
    readonly focus: Focus,
  ) {}
  private target(m: Readonly<WeekModel>) {
    const sections = focused(
      m,
      m.sections.map((s) => ({ sectionId: s.id })),
      this.focus,
    );
    return { sectionId: sections[this.section % sections.length]!.sectionId, person: people(m)[this.person % people(m).length]! };
  }
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    const { sectionId, person } = this.target(m);
    tick(m, bot);
    expect(await bot.command(`delegate ${sectionId} ${person}`)).toContain('已记录');
    m.delegate(sectionId, person);
  }
  toString(): string {
    return `delegate(section #${this.section}${this.focus === 'any' ? '' : ` ${this.focus}`}, person #${this.person})`;
  }
}

type AwayWhen = 'collecting' | 'opening' | 'after';

const people = (m: Readonly<WeekModel>) => [...new Set(m.sections.flatMap((s) => s.owners))].sort();

/** `away <person> <from> <to>`: during the collection window, over its first day, or after it (not away then). */
class Away implements Cmd {
  constructor(
    readonly person: number,
    readonly when: AwayWhen,
  ) {}
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    const person = people(m)[this.person % people(m).length]!;
    const monday = DateTime.fromISO(`${m.week}-1`);
    const [first, last] = { collecting: [2, 3], opening: [0, 1], after: [5, 7] }[this.when];
    const [from, to] = [first!, last!].map((d) => monday.plus({ days: d }).toISODate()!) as [string, string];
    tick(m, bot);
    expect(await bot.command(`away ${person} ${from} ${to}`)).toContain('已记录');
    m.recordAbsence({ person, from, to, inWindow: this.when !== 'after' });
  }
  toString(): string {
    return `away(#${this.person}, ${this.when})`;
  }
}

/** `away cancel <person> <from>`: one of the absences recorded. */
class AwayCancel implements Cmd {
  constructor(readonly pick: number) {}
  check(m: Readonly<WeekModel>): boolean {
    return m.absences.length > 0;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    const { person, from } = m.absences[this.pick % m.absences.length]!;
    tick(m, bot);
    expect(await bot.command(`away cancel ${person} ${from}`)).toContain('已取消');
    m.cancelAbsence(person, from);
  }
  toString(): string {
    return `away cancel(#${this.pick})`;
  }
}

/** `delegate cancel <section>`: a section handed over, or (nothing to cancel) one that is not. */
class DelegateCancel implements Cmd {
  constructor(readonly section: number) {}
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    const handed = [...m.handedTo.keys()];
    const sectionId = handed.length > 0 ? handed[this.section % handed.length]! : m.sections[this.section % m.sections.length]!.id;
    tick(m, bot);
    const said = await bot.command(`delegate cancel ${sectionId}`);
    expect(said).toContain(m.cancelDelegation(sectionId) ? '已取消' : '无需取消');
  }
  toString(): string {
    return `delegate cancel(#${this.section})`;
  }
}

/** A lead's `open`, while the week's collection window lasts. */
class Open implements Cmd {
  check(m: Readonly<WeekModel>): boolean {
    return !m.published && m.now < m.moments.publish;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    tick(m, bot);
    expect(await bot.command('open')).toContain(m.week);
    m.openWeek();
  }
  toString(): string {
    return 'open';
  }
}

/** A lead's `publish` (asked first when a section is missing) or `publish confirm`. */
class Publish implements Cmd {
  constructor(readonly confirm: boolean) {}
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    tick(m, bot);
    const said = await bot.command(this.confirm ? 'publish confirm' : 'publish');
    if (!m.open) return expect(said).not.toMatch(/周报已(发布|更新)/u);
    const missing = m.sections.some((s) => ['missing', 'away'].includes(m.state(s.id)));
    if (!this.confirm && !m.published && missing) return expect(said).toContain('确定现在发布吗');
    expect(said).toMatch(/周报已(发布|更新)/u);
    m.publish();
  }
  toString(): string {
    return this.confirm ? 'publish confirm' : 'publish';
  }
}

/** A lead's `remind`: whoever is to be reminded now (the scheduled reminder's rule, prompted any time), once. */
class Remind implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    tick(m, bot);
    const said = await bot.command('remind');
    if (!m.open) return expect(said).not.toMatch(/已提醒/u);
    const before = m.reminded.size;
    m.remind();
    expect(said).toMatch(m.reminded.size > before ? /已提醒/u : /没有需要提醒的人/u);
  }
  toString(): string {
    return 'remind';
  }
}

/** Time passes to the next moment of the week (or a later one), and the scheduler runs what is due. */
class Advance implements Cmd {
  constructor(readonly moment: WeeklyMoment | 'next') {}
  private to(m: Readonly<WeekModel>): Date | undefined {
    if (this.moment !== 'next') return m.moments.at(this.moment);
    return MOMENTS.map((moment) => m.moments.at(moment)).find((at) => at > m.now);
  }
  check(m: Readonly<WeekModel>): boolean {
    const to = this.to(m);
    return to !== undefined && to > m.now;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    bot.lastReply = undefined;
    m.now = this.to(m)!;
    bot.clock.set(m.now);
    await bot.runDueJobs();
    m.runDueJobs();
  }
  toString(): string {
    return this.moment === 'next' ? 'later' : `at ${this.moment.day} ${this.moment.time}`;
  }
}

/** The bot restarts: a new process on the same store, which runs what is due. */
class Restart implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    await bot.start();
    m.runDueJobs();
  }
  toString(): string {
    return 'restart';
  }
}

/** What happens next happens on the other of two replicas (started now if there is one process), each with its own cache. */
class Replica implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    await bot.switchReplica();
    m.runDueJobs();
  }
  toString(): string {
    return 'other replica';
  }
}

/** Everything compared in the middle of the week too. */
class Observe implements Cmd {
  check(): boolean {
    return true;
  }
  async run(m: WeekModel, bot: BotWeek): Promise<void> {
    await runChecks(m, bot);
  }
  toString(): string {
    return 'observe';
  }
}

/** Every property, each failure named by the week and the property. */
export async function runChecks(m: WeekModel, bot: BotWeek): Promise<void> {
  for (const check of CHECKS) {
    try {
      await check.run(m, bot);
    } catch (error) {
      (error as Error).message = `${m.week}, ${check.name}:\n${(error as Error).message}`;
      throw error;
    }
  }
}

const pick = fc.nat({ max: 50 });
const lines = fc.integer({ min: 1, max: 2 });
const wording = fc.constantFrom<Wording>('content', 'content', 'content', 'skip', 'start-over', 'bad');

/** Arbitraries of every command; answers come more often than anything else. */
export function weekCommands(): fc.Arbitrary<Cmd>[] {
  const focus = fc.constantFrom<Focus>('any', 'shared', 'handed', 'written');
  const reply = fc.tuple(pick, wording, fc.nat({ max: 5 }), lines, focus).map(([p, w, v, l, f]) => new Reply(p, w, v, l, f));
  return [
    reply,
    reply,
    reply,
    reply,
    reply,
    fc.tuple(pick, wording, fc.nat({ max: 5 }), lines).map(([p, w, v, l]) => new Direct(p, w, v, l)),
    fc.tuple(pick, lines).map(([p, l]) => new Edit(p, l)),
    pick.map((p) => new Delete(p)),
    fc.tuple(pick, pick, fc.boolean(), fc.integer({ min: 1, max: 3 }), focus).map(([s, p, k, l, f]) => new Form(s, p, k, l, f)),
    fc.constant(new Redeliver()),
    fc.tuple(pick, pick, focus).map(([s, p, f]) => new Delegate(s, p, f)),
    fc.tuple(pick, pick).map(([s, p]) => new Delegate(s, p, 'written')),
    pick.map((s) => new DelegateCancel(s)),
    fc.tuple(pick, fc.constantFrom<AwayWhen>('collecting', 'opening', 'after')).map(([p, w]) => new Away(p, w)),
    pick.map((p) => new AwayCancel(p)),
    fc.constant(new Open()),
    fc.boolean().map((confirm) => new Publish(confirm)),
    fc.constant(new Remind()),
    fc.constant(new Advance('next')),
    fc.constant(new Advance('next')),
    fc.constant(new Advance('next')),
    fc.constantFrom(...MOMENTS).map((moment) => new Advance(moment)),
    fc.constant(new Restart()),
    fc.constant(new Replica()),
    fc.constant(new Observe()),
  ];
}

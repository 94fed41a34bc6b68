import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml, stringify } from 'yaml';
import { inboundHandlers } from '../../../src/app.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { createLogger } from '../../../src/log.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import { PLATFORM_MODULES, PLATFORM_NAMES } from '../../../src/platforms/modules.ts';
import type { ChatPlatform, OutgoingMessage, Visibility } from '../../../src/platforms/platform.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { Store } from '../../../src/store/index.ts';
import { MemoPlatform, memoModule, type MemoMessage } from '../../fakes/memo-platform.ts';
import { discardTestStore, openTestStore } from '../../support/test-store.ts';
import {
  TUESDAY,
  unsupported,
  type Answer,
  type Delivery,
  type PlatformHarness,
  type Prompt,
  type SeenMessage,
  type SharedFile,
  type SuitePlatform,
  type Typed,
} from './platform-harness.ts';

const TEMPLATES = fileURLToPath(new URL('../../../templates/', import.meta.url));
export const MEMO_MODULES = [...PLATFORM_MODULES, memoModule];
/** The room the team's report goes to on Memo. */
export const MEMO_ROOM = 'room-payments';

/** The payments team, with every person on Memo only (`mm-<key>`) and the report posted to a Memo room. */
export async function memoTeamDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'memo-team-'));
  const raw = parseYaml(await readFile(path.join(TEMPLATES, 'payments-weekly.yaml'), 'utf8')) as Record<string, unknown>;
  const people = raw.people as Record<string, Record<string, string>>;
  raw.people = Object.fromEntries(Object.entries(people).map(([key, person]) => [key, { name: person.name!, memo: `mm-${key}` }]));
  raw.post = { memo: { room: MEMO_ROOM } };
  await writeFile(path.join(dir, 'payments-weekly.yaml'), stringify(raw));
  await cp(path.join(TEMPLATES, 'payments-weekly.md'), path.join(dir, 'payments-weekly.md'));
  return dir;
}

interface LogLine {
  level: number;
  msg: string;
}

const isPng = (m: MemoMessage) => m.file?.filename.endsWith('.png') ?? false;

/**
 * Memo, the made-up third platform (test/fakes/memo-platform.ts): a platform that is one module.
 * It has no runtime of its own, so the harness plays it: what people type reaches the bot through
 * the Inbound pipeline as Memo would deliver it (replies as arrays of lines, in the thread of the
 * message they answer), and answers to commands come back to the caller. Memo has threads and
 * nothing else: no forms, edits, deletions, menus or buttons; a posted file shows only its size.
 */
export const memoPlatform: SuitePlatform = {
  name: 'memo',
  capabilities: { edits: false, deletes: false, forms: false, goalMenus: false, buttons: false, chartPixels: false, findSentDirect: false },
  start: async (label, options = {}) => {
    const logs: LogLine[] = [];
    const logger = createLogger('memo-test', { level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
    const team = await loadTeamById('payments-weekly', MEMO_MODULES, await memoTeamDir());
    const store = await openTestStore(`${label}_memo`, logger, [...PLATFORM_NAMES, memoModule.name]);
    return new MemoSuiteHarness(team, store, logs, logger, new Date(options.now ?? TUESDAY));
  },
};

class MemoSuiteHarness implements PlatformHarness {
  readonly name = 'memo';
  readonly capabilities = memoPlatform.capabilities;
  holder = 'test-holder';
  ctx!: BotContext;
  /** The chat itself: it outlives a restart of the bot. */
  readonly memo = new MemoPlatform();
  /** Times the bot changed each message (Memo keeps none). */
  private readonly edits = new Map<string, number>();
  /** The same platform, counting the bot's updates. */
  private readonly platform: ChatPlatform;
  private inbound!: Inbound;
  private readonly answers: { message: OutgoingMessage; visibility: Visibility }[] = [];
  private typedCount = 0;

  constructor(
    readonly team: Team,
    readonly store: Store,
    private readonly logs: LogLine[],
    private readonly logger: ReturnType<typeof createLogger>,
    private now: Date,
  ) {
    const { memo, edits } = this;
    this.platform = new Proxy(memo, {
      get(target, prop, receiver) {
        if (prop !== 'updateMessage') return Reflect.get(target, prop, receiver) as unknown;
        return async (...args: Parameters<MemoPlatform['updateMessage']>) => {
          await target.updateMessage(...args);
          edits.set(args[0].messageId, (edits.get(args[0].messageId) ?? 0) + 1);
        };
      },
    });
    this.startBot(this.holder);
  }

  private startBot(holder: string): void {
    this.ctx = {
      teams: [this.team],
      store: this.store,
      modules: MEMO_MODULES,
      platforms: { memo: this.platform },
      clock: { now: () => this.now },
      logger: this.logger,
    };
    this.inbound = new Inbound(inboundHandlers(this.ctx, holder), { logger: this.logger });
    this.holder = holder;
  }
  setNow(iso: string): void {
    this.now = new Date(iso);
  }
  async restart(holder: string): Promise<void> {
    await this.inbound.idle();
    this.startBot(holder);
  }
  async close(): Promise<void> {
    await this.inbound.idle();
    await discardTestStore(this.store);
  }

  private seen = (m: MemoMessage): SeenMessage => ({ ref: m.id, text: m.text, edits: this.edits.get(m.id) ?? 0 });
  private userId(person: string): string {
    const id = this.team.definition.people[person]?.memo;
    if (typeof id !== 'string') throw new Error(`no Memo id for ${person}`);
    return id;
  }
  private dmRoom(person: string): string {
    return `dm:${this.userId(person)}`;
  }

  async reply(person: string, to: string | null, text: string): Promise<Typed> {
    const target = to ? this.memo.messages.find((m) => m.id === to) : undefined;
    if (to && !target) throw new Error(`no Memo message ${to}`);
    const userId = this.userId(person);
    const eventId = `memo-event-${randomUUID()}`;
    const ref = `typed-${++this.typedCount}`;
    // As Memo sends a reply: an array of lines, in the thread of the message it answers.
    const send = () =>
      this.inbound.dispatch({ platform: 'memo', eventId, userId, kind: 'reply' }, (h) =>
        h.onReply({
          sender: { platform: 'memo', userId },
          eventId,
          channel: this.dmRoom(person),
          messageId: ref,
          ...(target ? { replyTo: target.threadOf ?? target.id } : {}),
          input: { source: 'memo-lines', lines: text.split('\n') },
          rawText: text,
        }),
      );
    await send();
    return { person, ref, again: send };
  }
  edit(): Promise<Delivery> {
    return unsupported('memo', 'edit');
  }
  remove(): Promise<Delivery> {
    return unsupported('memo', 'deletion');
  }
  openForm(): Promise<string[]> {
    return unsupported('memo', 'form');
  }
  submitForm(): Promise<Delivery> {
    return unsupported('memo', 'form');
  }
  async command(person: string, text: string): Promise<Answer[]> {
    const before = this.answers.length;
    const userId = this.userId(person);
    const eventId = `memo-command-${randomUUID()}`;
    await this.inbound.dispatch({ platform: 'memo', eventId, userId, kind: 'command', dedupe: true }, (h) =>
      h.onCommand({ sender: { platform: 'memo', userId }, text, channel: this.dmRoom(person) }, async (message, visibility = 'caller') => {
        this.answers.push({ message, visibility });
      }),
    );
    return this.answers.slice(before).map(({ message, visibility }) => ({ text: message.text, toCaller: visibility === 'caller', commands: [], raw: message }));
  }
  press(person: string, _answer: Answer, command: string): Promise<Answer[]> {
    // No buttons: the answer says what to type.
    return this.command(person, command);
  }
  chooseGoal(): Promise<Delivery> {
    return unsupported('memo', 'goal menu');
  }

  async promptsOf(person: string): Promise<Prompt[]> {
    const { sections } = this.team.definition;
    return this.memo.messages.flatMap((m) => {
      if (m.room !== this.dmRoom(person) || m.threadOf) return [];
      // Memo shows only text: a prompt is known by its first line, which names the week and the section.
      const asked = /^📝 .* (\d{4}-W\d{2})：请填写 (.+?)，截止/.exec(m.text);
      const section = asked && [...sections].sort((a, b) => b.title.length - a.title.length).find((s) => asked[2]!.includes(s.title));
      return section ? [{ ...this.seen(m), teamId: this.team.definition.id, week: asked[1]!, sectionId: section.id }] : [];
    });
  }
  async prompt(person: string, sectionId: string, week = '2024-W23'): Promise<Prompt> {
    const found = (await this.promptsOf(person)).find((p) => p.sectionId === sectionId && p.week === week);
    if (!found) throw new Error(`no ${week} prompt for ${sectionId} in the Memo DM of ${person}`);
    return found;
  }
  thread(ref: string): SeenMessage[] {
    return this.memo.messages.filter((m) => m.threadOf === ref).map(this.seen);
  }
  dm(person: string): SeenMessage[] {
    return this.memo.messages.filter((m) => m.room === this.dmRoom(person) && !m.threadOf).map(this.seen);
  }
  channel(): SeenMessage[] {
    return this.memo.messages.filter((m) => m.room === MEMO_ROOM && !m.threadOf).map(this.seen);
  }
  digest() {
    const [header] = this.channel();
    if (!header) throw new Error(`nothing posted in ${MEMO_ROOM}`);
    const thread = this.memo.messages.filter((m) => m.threadOf === header.ref);
    const parts = thread.filter((m) => !m.file);
    return {
      header,
      parts: parts.map(this.seen),
      // One message per section, cut before each `## `.
      body: parts
        .map((m) => m.text)
        .join('\n')
        .trimEnd(),
      files: thread.filter((m) => m.file && !isPng(m)).map(sharedFile),
      charts: thread.filter(isPng).map((m) => ({ title: m.text })),
    };
  }
  sent(): SeenMessage[] {
    return this.memo.messages.map(this.seen);
  }
  files(): SharedFile[] {
    return this.memo.messages.filter((m) => m.file && !isPng(m)).map(sharedFile);
  }
  updates(): number {
    return [...this.edits.values()].reduce((n, e) => n + e, 0);
  }
  goalMenus(): never {
    return unsupported('memo', 'goal menu');
  }
  errors() {
    return this.logs.filter((l) => l.level >= 50);
  }
}

const sharedFile = (m: MemoMessage): SharedFile => ({ filename: m.file!.filename, content: m.file!.content });

import { readFileSync } from 'node:fs';
import { inboundHandlers } from '../../../src/app.ts';
import type { BotContext } from '../../../src/bot/context.ts';
import { loadTeamById } from '../../../src/config/definitions.ts';
import { createLogger } from '../../../src/log.ts';
import { ConsolePlatform, type ConsoleMessage } from '../../../src/platforms/console/console-platform.ts';
import { ConsoleSession } from '../../../src/platforms/console/console-session.ts';
import { consoleModule } from '../../../src/platforms/console/module.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { IncomingReply, OutgoingMessage, Visibility } from '../../../src/platforms/platform.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { Store } from '../../../src/store/index.ts';
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

interface LogLine {
  level: number;
  msg: string;
}

const said = (m: { text: string; markdown?: string }) => [m.text, m.markdown].filter(Boolean).join('\n\n');
const seen = (m: ConsoleMessage): SeenMessage => ({ ref: m.id, text: said(m), edits: m.edits });
const isPng = (m: ConsoleMessage) => m.file?.filename.endsWith('.png') ?? false;

/** The console of local mode (src/platforms/console/): a ConsolePlatform, and a ConsoleSession acting as each person in turn. */
export const consolePlatform: SuitePlatform = {
  name: 'console',
  // No buttons: the console shows the command to type. No lookup of a send of unknown outcome.
  capabilities: { edits: true, deletes: true, forms: true, goalMenus: false, buttons: false, chartPixels: true, findSentDirect: false },
  start: async (label, options = {}) => {
    const logs: LogLine[] = [];
    const logger = createLogger('console-test', { level: 'info', destination: { write: (line: string) => void logs.push(JSON.parse(line) as LogLine) } });
    const team = await loadTeamById('payments-weekly', PLATFORM_MODULES);
    const store = await openTestStore(`${label}_console`, logger);
    return new ConsoleSuiteHarness(team, store, logs, logger, new Date(options.now ?? TUESDAY));
  },
};

class ConsoleSuiteHarness implements PlatformHarness {
  readonly name = 'console';
  readonly capabilities = consolePlatform.capabilities;
  holder = 'test-holder';
  ctx!: BotContext;
  /** The chat itself: it outlives a restart of the bot. */
  private readonly platform = new ConsolePlatform();
  private session!: ConsoleSession;
  private readonly answers: { message: OutgoingMessage; visibility: Visibility }[] = [];

  constructor(
    readonly team: Team,
    readonly store: Store,
    private readonly logs: LogLine[],
    private readonly logger: ReturnType<typeof createLogger>,
    private now: Date,
  ) {
    this.startBot(this.holder);
  }

  private startBot(holder: string): void {
    this.ctx = {
      teams: [this.team],
      store: this.store,
      modules: PLATFORM_MODULES,
      platforms: { console: this.platform },
      clock: { now: () => this.now },
      logger: this.logger,
    };
    const typed = this.session?.typed ?? [];
    this.session = new ConsoleSession(this.platform, new Inbound(inboundHandlers(this.ctx, holder), { logger: this.logger }), 'lead', (message, visibility) =>
      this.answers.push({ message, visibility }),
    );
    // What people typed before is still theirs to edit.
    this.session.typed.push(...typed);
    this.holder = holder;
  }
  setNow(iso: string): void {
    this.now = new Date(iso);
  }
  async restart(holder: string): Promise<void> {
    this.startBot(holder);
  }
  async close(): Promise<void> {
    await discardTestStore(this.store);
  }

  private as(person: string): ConsoleSession {
    this.session.you = person;
    return this.session;
  }
  private delivered(reply: IncomingReply): Delivery {
    return { again: async () => void (await this.session.deliver(reply)) };
  }

  async reply(person: string, to: string | null, text: string): Promise<Typed> {
    const reply = await this.as(person).say(text, to ?? undefined);
    return { person, ref: reply.messageId!, ...this.delivered(reply) };
  }
  async edit(typed: Typed, text: string): Promise<Delivery> {
    return this.delivered(await this.as(typed.person).edit(typed.ref, text));
  }
  async remove(typed: Typed): Promise<Delivery> {
    return this.delivered(await this.as(typed.person).remove(typed.ref));
  }
  async openForm(person: string, prompt: Prompt): Promise<string[]> {
    const opening = await this.as(person).openForm(prompt.ref);
    if ('refusal' in opening) throw new Error(opening.refusal.text);
    return [opening.form.prefill];
  }
  async submitForm(person: string, prompt: Prompt, text: string): Promise<Delivery> {
    return this.delivered(await this.as(person).submitForm(prompt.ref, text));
  }
  async command(person: string, text: string): Promise<Answer[]> {
    const before = this.answers.length;
    await this.as(person).command(text);
    return this.answers
      .slice(before)
      .map(({ message, visibility }) => ({ text: said(message), toCaller: visibility === 'caller', commands: [], raw: message }));
  }
  press(person: string, _answer: Answer, command: string): Promise<Answer[]> {
    // No buttons: the answer says what to type.
    return this.command(person, command);
  }
  chooseGoal(): Promise<Delivery> {
    return unsupported('console', 'goal menu');
  }

  async promptsOf(person: string): Promise<Prompt[]> {
    return this.platform
      .channelMessages(`@${person}`)
      .flatMap((m) => (m.answerForm ? [{ ...seen(m), teamId: m.answerForm.teamId, week: m.answerForm.week, sectionId: m.answerForm.sectionId }] : []));
  }
  async prompt(person: string, sectionId: string, week = '2024-W23'): Promise<Prompt> {
    const found = (await this.promptsOf(person)).find((p) => p.sectionId === sectionId && p.week === week);
    if (!found) throw new Error(`no ${week} prompt for ${sectionId} to @${person}`);
    return found;
  }
  thread(ref: string): SeenMessage[] {
    const root = this.platform.messages.find((m) => m.id === ref);
    return root ? this.platform.channelMessages(root.channel, ref).map(seen) : [];
  }
  dm(person: string): SeenMessage[] {
    return this.platform.channelMessages(`@${person}`).map(seen);
  }
  channel(): SeenMessage[] {
    return this.platform.channelMessages(consoleModule.reportChannel(this.team.definition)!).map(seen);
  }
  digest() {
    const reportChannel = consoleModule.reportChannel(this.team.definition)!;
    const [header] = this.platform.channelMessages(reportChannel);
    if (!header) throw new Error(`nothing posted in ${reportChannel}`);
    const thread = this.platform.channelMessages(reportChannel, header.id);
    const parts = thread.filter((m) => !m.file);
    return {
      header: seen(header),
      parts: parts.map(seen),
      body: parts
        .map((m) => m.markdown ?? m.text)
        .join('\n\n')
        .trimEnd(),
      files: thread.filter((m) => m.file && !isPng(m)).map(sharedFile),
      // A binary file is written to disk: its path is in the message.
      charts: thread.filter(isPng).map((m) => ({ title: m.file!.title, png: readFileSync(m.file!.path!) })),
    };
  }
  sent(): SeenMessage[] {
    return this.platform.messages.map(seen);
  }
  files(): SharedFile[] {
    return this.platform.messages.filter((m) => m.file && !isPng(m)).map(sharedFile);
  }
  updates(): number {
    return this.platform.messages.reduce((n, m) => n + m.edits, 0);
  }
  goalMenus(): never {
    return unsupported('console', 'goal menu');
  }
  errors() {
    return this.logs.filter((l) => l.level >= 50);
  }
}

const sharedFile = (m: ConsoleMessage): SharedFile => ({ filename: m.file!.filename, content: m.file!.content });

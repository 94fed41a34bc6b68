import type { BotContext } from '../../../src/bot/context.ts';
import { inboundHandlers } from '../../../src/app.ts';
import { ExportUsageError, exportWeeks } from '../../../src/cli/export.ts';
import { createLogger } from '../../../src/log.ts';
import { ConsolePlatform, type ConsoleMessage } from '../../../src/platforms/console/console-platform.ts';
import { ConsoleSession } from '../../../src/platforms/console/console-session.ts';
import { claimChatPrefix, storeLookups } from '../../../src/platforms/console/chat-ids.ts';
import { Inbound } from '../../../src/platforms/inbound.ts';
import { PLATFORM_MODULES } from '../../../src/platforms/modules.ts';
import type { IncomingReply, MessageRef, OutgoingMessage, SendOptions, UploadedFile } from '../../../src/platforms/platform.ts';
import type { Team } from '../../../src/report/definition.ts';
import { CachingStore } from '../../../src/store/caching-store.ts';
import type { Store } from '../../../src/store/store.ts';
import { runDueJobs } from '../../../handlers/cycle/jobs.ts';
import { participationFor, type SeenRow } from '../../../handlers/across-weeks/participation.ts';
import { FakeClock } from '../bot.ts';

/**
 * The local chat of one week on a real store (MemoryStore or MongoStore), as a sequence of bot
 * processes: a restart is a new process (its own cache in front of the store, its own holder and
 * ids) on the same store. The chat's messages outlive the processes, as Slack's and Feishu's do,
 * so a report posted by one process is updated by the next (DurableChat).
 */

/** Every process's platform, and the order their messages were sent in. */
interface ChatWorld {
  platforms: DurableChat[];
  sent: string[];
}

/** A chat platform's messages outlive the bot process: a later process updates what an earlier one posted. */
class DurableChat extends ConsolePlatform {
  constructor(private readonly world: ChatWorld) {
    super();
  }

  override async sendDirect(userId: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.sent(await super.sendDirect(userId, message, options));
  }

  override async postToChannel(channel: string, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.sent(await super.postToChannel(channel, message, options));
  }

  override async replyInThread(parent: MessageRef, message: OutgoingMessage, options?: SendOptions): Promise<MessageRef> {
    return this.sent(await super.replyInThread(parent, message, options));
  }

  override async uploadFile(channel: string, file: UploadedFile, thread?: MessageRef): Promise<MessageRef> {
    return this.sent(await super.uploadFile(channel, file, thread));
  }

  override async updateMessage(ref: MessageRef, message: OutgoingMessage): Promise<void> {
    const holder = this.world.platforms.find((p) => p.messages.some((m) => m.id === ref.messageId));
    return holder && holder !== this ? holder.updateMessage(ref, message) : super.updateMessage(ref, message);
  }

  private sent(ref: MessageRef): MessageRef {
    this.world.sent.push(ref.messageId);
    return ref;
  }
}

interface Process {
  holder: string;
  platform: DurableChat;
  ctx: BotContext;
  session: ConsoleSession;
  /** What the bot answered to commands, in order. */
  answers: string[];
}

/** What a person did (the event, which the platform may deliver again), and what the bot said to them meanwhile. */
export interface Acted {
  reply: IncomingReply;
  /** In the person's chat, lead notices of late answers aside. */
  said: string[];
}

export interface PostedReport {
  /** Top-level posts in the report channel: one digest header once published. */
  headers: ConsoleMessage[];
  /** The report as its thread shows it now (the body messages, updated in place). */
  body: string;
  /** Every `.md` file attached, in order; the last one is the report now. */
  files: string[];
}

export class BotWeek {
  private readonly world: ChatWorld = { platforms: [], sent: [] };
  /** Error lines the bot logged: none is expected. */
  readonly errors: string[] = [];
  /** The last event a person's action delivered, for the platform to deliver again. */
  lastReply: IncomingReply | undefined;
  /** The processes running now (one, or two replicas); `process` handles what happens next. */
  private live: Process[] = [];
  private process!: Process;
  private events = 0;
  private readonly logger = createLogger('week-model', { level: 'error', destination: { write: (line: string) => void this.errors.push(line) } });

  constructor(
    readonly store: Store,
    readonly team: Team,
    readonly clock: FakeClock,
    readonly week: string,
    private readonly runId: string,
  ) {}

  get teamId(): string {
    return this.team.definition.id;
  }

  /** A new bot process on the store (the first one, or a restart of the one handling events now): it runs whatever is due, as at start-up. */
  async start(): Promise<void> {
    const stopped = this.process;
    this.process = await this.newProcess();
    this.live = [...this.live.filter((p) => p !== stopped), this.process];
    await this.runDueJobs();
  }

  /** The next events go to the other replica: started (and running what is due) if there is only one. */
  async switchReplica(): Promise<void> {
    if (this.live.length === 1) {
      this.process = await this.newProcess();
      this.live.push(this.process);
      await this.runDueJobs();
    } else {
      this.process = this.live.find((p) => p !== this.process)!;
    }
  }

  private async newProcess(): Promise<Process> {
    const platform = new DurableChat(this.world);
    this.world.platforms.push(platform);
    // Its own cache, as a new process has, over the one store.
    const store = new CachingStore(this.store, this.clock);
    const holder = `${this.runId}-p${this.world.platforms.length}`;
    const ctx: BotContext = { teams: [this.team], store, modules: PLATFORM_MODULES, platforms: { console: platform }, clock: this.clock, logger: this.logger };
    const answers: string[] = [];
    const session = new ConsoleSession(
      platform,
      new Inbound(inboundHandlers(ctx, holder), { logger: this.logger }),
      'lead',
      (message) => answers.push(message.text),
      {
        lookups: storeLookups(store, this.team, () => this.clock.now()),
        locale: this.team.definition.locale,
      },
    );
    session.useIdPrefix(await claimChatPrefix(store, this.clock.now()));
    return { holder, platform, ctx, session, answers };
  }

  async runDueJobs(): Promise<void> {
    await runDueJobs(this.process.ctx, this.team, this.process.holder);
  }

  /** A lead's `/weekly-report …`: the bot's answer. */
  async command(text: string): Promise<string> {
    const { session, answers } = this.process;
    session.you = this.team.definition.leads[0]!;
    const before = answers.length;
    await session.command(text);
    return answers.slice(before).join('\n');
  }

  /** The prompt message of a section sent to a person, by any process. */
  async promptId(sectionId: string, person: string): Promise<string> {
    const prompt = (await this.store.listPrompts(this.teamId, this.week)).find((p) => p.sectionId === sectionId && p.owner === person && p.messageId);
    if (!prompt?.messageId) throw new Error(`no prompt of ${sectionId} was sent to ${person}`);
    return prompt.messageId;
  }

  /** `person` types `text` in the thread of their prompt for the section (or, with no section, to the bot directly). */
  say(person: string, text: string, promptId?: string): Promise<Acted> {
    return this.acting(person, (s) => s.say(text, promptId));
  }

  edit(person: string, messageId: string, text: string): Promise<Acted> {
    return this.acting(person, (s) => s.edit(messageId, text));
  }

  remove(person: string, messageId: string): Promise<Acted> {
    return this.acting(person, (s) => s.remove(messageId));
  }

  /** `person` submits the section's form with `text` (the form replaces their whole answer). */
  submitForm(person: string, sectionId: string, text: string): Promise<Acted> {
    return this.acting(person, (s) =>
      s.deliver({
        sender: { platform: 'console', userId: person },
        eventId: `${this.runId}-form-${++this.events}`,
        channel: `@${person}`,
        form: { teamId: this.teamId, week: this.week, sectionId },
        input: { source: 'text', text },
        rawText: text,
      }),
    );
  }

  /** The platform delivers an event again (a retry), to whichever process runs now. */
  redeliver(reply: IncomingReply): Promise<Acted> {
    return this.acting(reply.sender.userId, (s) => s.deliver(reply));
  }

  /** What the bot said in `person`'s chat while they did something (lead notices of late answers aside). */
  private async acting(person: string, act: (session: ConsoleSession) => Promise<IncomingReply>): Promise<Acted> {
    const { session, platform } = this.process;
    session.you = person;
    const before = platform.messages.length;
    const reply = await act(session);
    const said = platform.messages
      .slice(before)
      .filter((m) => m.channel === `@${person}` && !m.text.startsWith('✏️'))
      .map((m) => m.text);
    return { reply, said };
  }

  // ---- What can be observed ----

  /** Every process's messages, in the order they were sent. */
  private allMessages(): ConsoleMessage[] {
    const byId = new Map(this.world.platforms.flatMap((p) => p.messages.map((m) => [m.id, m] as const)));
    return this.world.sent.map((id) => byId.get(id)!);
  }

  posted(): PostedReport {
    const channel = this.allMessages().filter((m) => m.channel === `#${this.teamId}`);
    const headers = channel.filter((m) => !m.threadOf);
    const thread = channel.filter((m) => m.threadOf);
    return {
      headers,
      body: thread
        .filter((m) => !m.file)
        .map((m) => m.markdown ?? m.text)
        .join('\n\n'),
      files: thread.filter((m) => m.file).map((m) => m.file!.content),
    };
  }

  /** ✏️ messages the leads got. */
  leadNotices(): number {
    return this.allMessages().filter((m) => this.team.definition.leads.some((l) => m.channel === `@${l}`) && m.text.startsWith('✏️')).length;
  }

  /** Prompt messages sent for the week, as `section person`. */
  promptMessages(): string[] {
    return this.allMessages()
      .filter((m) => m.text.startsWith('📝') && m.answerForm?.week === this.week)
      .map((m) => `${m.answerForm!.sectionId} ${m.channel.slice(1)}`);
  }

  /** Reminders sent for the week, as `section person` (of the prompt whose thread they are in). */
  async reminders(): Promise<string[]> {
    const prompts = await this.store.listPrompts(this.teamId, this.week);
    return this.allMessages()
      .filter((m) => m.text.startsWith('⏰'))
      .map((m) => {
        const prompt = prompts.find((p) => p.messageId === m.threadOf);
        return prompt ? `${prompt.sectionId} ${prompt.owner}` : `? ${m.channel}`;
      });
  }

  async storedPrompts(): Promise<string[]> {
    return (await this.store.listPrompts(this.teamId, this.week)).map((p) => `${p.sectionId} ${p.owner}`);
  }

  /** `participation 1` as a lead sees it: every row of the week. */
  async participation(): Promise<SeenRow[]> {
    return (await participationFor(this.process.ctx, this.team, this.team.definition.leads[0]!, this.week, 1)).rows;
  }

  /** `weekly-report export --format json --drafts` of the week: none when the week was never opened. */
  async exported(): Promise<ExportedWeek[]> {
    try {
      const json = await exportWeeks(this.store, this.team, { from: this.week, to: this.week, format: 'json', drafts: true });
      return (JSON.parse(json) as { weeks: ExportedWeek[] }).weeks;
    } catch (error) {
      if (error instanceof ExportUsageError && error.message.startsWith('no stored week')) return [];
      throw error;
    }
  }
}

export interface ExportedWeek {
  week: string;
  draft?: boolean;
  publishedAt?: string;
  sections: { id: string; state?: string; answers: { owner: string; revision: number; skipped?: boolean; content: unknown }[] }[];
}

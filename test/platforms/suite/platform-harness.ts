import type { BotContext } from '../../../src/bot/context.ts';
import type { Team } from '../../../src/report/definition.ts';
import type { GoalStatus } from '../../../src/report/goals.ts';
import type { Store } from '../../../src/store/index.ts';

/**
 * One bot on one chat platform, driven the way its people drive it and read back the way they see
 * it, so that the behaviours every platform shares are written once (test/both-stores/platforms/
 * suite/) and run on each: Slack and Feishu (their runtimes behind their fakes, through
 * test/platforms/{slack,feishu}/harness.ts), the console (src/platforms/console/), and Memo, the
 * made-up third platform (test/fakes/memo-platform.ts).
 *
 * People are their keys in the team definition (`owner-o1`, `lead`); messages are named by `ref`,
 * their id on the platform (a Slack ts, a Feishu message_id, a console or Memo id). What a platform
 * cannot do is a capability it lacks: a suite skips those behaviours there (`it.skipIf`), and the
 * harness's method for it throws.
 */
export interface PlatformHarness {
  /** The platform's name: the key of `ctx.platforms`, and `platform` in what the store records. */
  readonly name: string;
  readonly capabilities: Capabilities;
  readonly team: Team;
  readonly store: Store;
  /** The running bot's context; a new one after `restart`. */
  readonly ctx: BotContext;
  /** The holder (process) name the running bot uses for leases; `test-holder` until a restart. */
  readonly holder: string;
  /** The clock the handlers read. */
  setNow(iso: string): void;
  /**
   * Stops the bot and starts a new one (a restarted process with its own holder) on the same store,
   * chat and clock; `ctx` and `holder` are the new ones afterwards.
   */
  restart(holder: string): Promise<void>;
  close(): Promise<void>;

  // ---- what people do ----

  /**
   * The person types a message to the bot: in the thread of `to` (a prompt, or any message of a
   * thread: the reply goes to that thread), or at the top of their direct chat when `to` is null.
   * Each platform sends it in its own wire format (Slack: text and rich_text; Feishu: a text
   * message; Memo: lines). Resolves once the bot has handled it.
   */
  reply(person: string, to: string | null, text: string): Promise<Typed>;
  /** The person edits a message they typed (capability `edits`). */
  edit(typed: Typed, text: string): Promise<Delivery>;
  /** The person deletes (on Feishu: recalls) a message they typed (capability `deletes`). */
  remove(typed: Typed): Promise<Delivery>;
  /**
   * Opens the answer form of a prompt, as its owner would (Slack: the prompt's button opens a
   * modal; Feishu: the form of the latest card in the prompt's thread; the console: /form), and
   * returns the prefilled text of each of its inputs (capability `forms`).
   */
  openForm(person: string, prompt: Prompt): Promise<string[]>;
  /** Submits the prompt's form with `text`; fails the test when the platform shows a refusal (capability `forms`). */
  submitForm(person: string, prompt: Prompt, text: string): Promise<Delivery>;
  /** `/weekly-report <text>`, typed by the person where the platform takes commands; the answers it got. */
  command(person: string, text: string): Promise<Answer[]>;
  /**
   * Acts on an answer's offer of a command: presses its button where the platform has buttons
   * (capability `buttons`), otherwise types the command, as the answer says to.
   */
  press(person: string, answer: Answer, command: string): Promise<Answer[]>;
  /** Marks a goal in the menu of a goal-review prompt (capability `goalMenus`). */
  chooseGoal(person: string, prompt: Prompt, goal: number, status: GoalStatus): Promise<Delivery>;

  // ---- what people see ----

  /** The prompts at the top of the person's direct chat with the bot, oldest first. */
  promptsOf(person: string): Promise<Prompt[]>;
  /** The person's prompt for a section (and week, 2024-W23 unless given); fails when there is none. */
  prompt(person: string, sectionId: string, week?: string): Promise<Prompt>;
  /** The bot's messages in the thread of `ref`, oldest first. */
  thread(ref: string): SeenMessage[];
  /**
   * The bot's messages at the top of the person's direct chat (prompts, confirmations of what was
   * sent outside a thread, notices; on Feishu also answers to commands), oldest first.
   */
  dm(person: string): SeenMessage[];
  /** The bot's messages at the top of the team's report channel, oldest first. */
  channel(): SeenMessage[];
  /** The report posted in the channel (its first message and that message's thread); fails when there is none. */
  digest(): Digest;
  /** Every message the bot sent (prompts, confirmations, reminders, the report, its files), but no answer to a command. */
  sent(): SeenMessage[];
  /** Every text file the bot shared, anywhere, oldest first. */
  files(): SharedFile[];
  /** How many times the bot changed a message it had sent. */
  updates(): number;
  /** The menus of a goal-review prompt, one per goal (capability `goalMenus`). */
  goalMenus(prompt: Prompt): GoalMenu[];
  /** What the bot logged at level error or above. */
  errors(): { level: number; msg: string }[];
}

export interface Capabilities {
  /** An edited message is a new revision of its part of the answer (Slack message_changed, the console's /edit; Feishu sends no event for an edit). */
  edits: boolean;
  /** A deleted (recalled) message leaves the answer (Slack message_deleted, Feishu's recall, the console's /delete). */
  deletes: boolean;
  /** Prompts come with an answer form, prefilled (a Slack modal, a Feishu card form, the console's /form). */
  forms: boolean;
  /** A goal-review prompt shows a menu per goal (Slack static_select, Feishu select_static); elsewhere the goals are numbered lines to answer by typing. */
  goalMenus: boolean;
  /** Answers offer commands as buttons; elsewhere the text says what to type. */
  buttons: boolean;
  /** A posted chart's PNG can be read back (Memo shows only a file's size). */
  chartPixels: boolean;
  /** A send whose outcome is unknown is looked for in the person's chat before it is sent again (ChatPlatform.findSentDirect). */
  findSentDirect: boolean;
}

/** A message of the bot, as people see it. */
export interface SeenMessage {
  ref: string;
  /** Everything it says, its plain text first, then any Markdown, blocks or card text. */
  text: string;
  /** How many times the bot changed it. */
  edits: number;
}

export interface Prompt extends SeenMessage {
  teamId: string;
  week: string;
  sectionId: string;
}

/** Something a person sent the bot: a message, an edit, a deletion, a form, a menu choice. */
export interface Delivery {
  /** Delivers the same event again, as a platform that delivers at least once (or a double click) would. */
  again(): Promise<void>;
}

/** A message the person typed. */
export interface Typed extends Delivery {
  person: string;
  ref: string;
}

/** An answer to a command. */
export interface Answer {
  text: string;
  /** Seen only by the person who ran the command. */
  toCaller: boolean;
  /** The commands it offers as buttons (none where the platform has no buttons). */
  commands: string[];
  /** The platform's own message, for `press`. */
  raw: unknown;
}

export interface SharedFile {
  filename: string;
  content: string;
}

export interface Chart {
  title: string;
  /** The picture, where the platform lets it be read back (capability `chartPixels`). */
  png?: Buffer;
}

export interface Digest {
  header: SeenMessage;
  /** The report's messages in the header's thread, in order (no file, no chart). */
  parts: SeenMessage[];
  /** The report as its parts show it, joined as the platform cut it (a message shows no trailing blank lines). */
  body: string;
  files: SharedFile[];
  charts: Chart[];
}

export interface GoalMenu {
  /** The goal's line the menu belongs to. */
  text: string;
  /** Label and value of each choice. */
  options: [string, string][];
  /** The choice shown before any is made (the review so far). */
  initial?: string;
}

export interface StartOptions {
  /** The clock at start; Tuesday 2024-06-04 15:34 in Shanghai unless given. */
  now?: string;
  /** Message times on the platform follow the test's clock, as Slack's ts do real time (for lookups bounded by time). */
  messagesAtTestClock?: boolean;
}

/** A platform the suites run on: its capabilities, and how to start a bot on it over a fresh store. */
export interface SuitePlatform {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** `label` names the store's database; the platform's name is added to it. */
  start(label: string, options?: StartOptions): Promise<PlatformHarness>;
}

export const TUESDAY = '2024-06-04T15:34:00+08:00';

/** The sections each person of the team owns, sorted, for every person. */
export function ownedByPerson(team: Team): Record<string, string[]> {
  const { definition } = team;
  return Object.fromEntries(
    Object.keys(definition.people).map((person) => [
      person,
      definition.sections
        .filter((s) => s.owners.includes(person))
        .map((s) => s.id)
        .sort(),
    ]),
  );
}

/** For a harness method whose capability the platform lacks: suites skip those behaviours, so calling it is a mistake. */
export function unsupported(platform: string, what: string): never {
  throw new Error(`${platform} has no ${what}: the suite skips it by capability`);
}

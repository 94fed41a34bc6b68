import type { z } from 'zod';
import type { Logger } from '../log.ts';
import type { CompiledReport } from '../report/compile.ts';
import type { Person, TeamDefinition } from '../report/definition.ts';
import type { Converted, ReplyTextOptions } from '../report/parse/index.ts';
import type { OutgoingMessage, PlatformName, WireReply } from './platform.ts';
import type { PlatformRuntime } from './runtime.ts';

/** The process environment, as given (before validation). */
export type EnvSource = Readonly<Record<string, string | undefined>>;

/**
 * Everything the bot knows about one chat platform, in one place (vercel/chat's adapters are the
 * model): how its people and destinations are written in a team definition, its configuration,
 * its runtime, its wire formats in and out. The core never switches on a platform's name: the list
 * of modules (./modules.ts) is the only place that names them, and adding a platform is adding a
 * folder and a line there.
 */
export interface PlatformModule<Config = unknown> {
  readonly name: PlatformName;
  /**
   * The shape of a person's id on this platform, read from `people.<key>.<name>` of a team
   * definition (`slack: U0123ABCD`). Absent when the platform addresses people by their key.
   */
  readonly personId?: z.ZodType<string>;
  /** The shape of `post.<name>`: where the team's report goes on this platform. */
  readonly destination?: z.ZodType<object>;
  /** The person's id on this platform, or undefined when the definition gives none. */
  userIdOf(person: Person, key: string): string | undefined;
  /** The channel or chat the team's report is posted to here, or null. */
  reportChannel(definition: TeamDefinition): string | null;
  /**
   * The team's options for the week's report as a document on this platform (`post.slack.canvas`,
   * `post.feishu.doc`), or null when the team has not asked for one (ChatPlatform.reportDocuments).
   */
  reportDocumentOptions?(definition: TeamDefinition): object | null;

  /**
   * The platform's configuration from its environment variables, validated; null when they do not
   * configure it. Throws EnvError naming the variable (never its value) when they are wrong.
   */
  configFromEnv(source: EnvSource): Config | null;
  createRuntime(config: Config, deps: RuntimeDeps): PlatformRuntime | Promise<PlatformRuntime>;

  /** A reply in this platform's wire format as the text the parser reads. */
  replyText(input: WireReply, options: ReplyTextOptions): Converted;
  /** The compiled report as the messages the bot posts here, cut to the platform's limits. */
  renderReport(report: CompiledReport): OutgoingMessage[];
  /** Those messages exactly as the platform's API receives them (the CLI's `--format <name>`). */
  reportPayloads(report: CompiledReport): unknown[];
}

export interface RuntimeDeps {
  logger: Logger;
}

import { BotError, exitFor } from '../errors.ts';
import { COMPILE_USAGE, compileCommand } from './compile.ts';
import { EXPORT_USAGE, exportCommand } from './export.ts';
import { ARCHIVE_LINK_USAGE, archiveLinkCommand } from './archive-link.ts';

export const USAGE = `Usage:
${COMPILE_USAGE}

${EXPORT_USAGE}

${ARCHIVE_LINK_USAGE}`;

/** Where the CLI writes, and the environment it reads: the process's own, or a test's. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

const processIo: CliIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** `weekly-report <command> …`: runs it and returns the exit status (src/errors.ts decides it for an error). */
export async function runCli(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  const line = (text: string) => io.stderr(`${text}\n`);
  try {
    if (command === 'compile') {
      io.stdout(await compileCommand(rest, io.env, line));
      return 0;
    }
    if (command === 'export') {
      io.stdout(await exportCommand(rest, io.env));
      return 0;
    }
    if (command === 'archive-link') {
      io.stdout(await archiveLinkCommand(rest, io.env));
      return 0;
    }
    // Asked for help: usage and success. No command: usage and exit 2. An unknown one: a usage error.
    const askedForHelp = command === 'help' || command === '--help';
    if (command && !askedForHelp) throw new BotError('usage', `unknown command "${command}"`);
    line(USAGE);
    return askedForHelp ? 0 : 2;
  } catch (error) {
    // A usage error is followed by the usage of the command it is about (of every command when there is none).
    const usages: Record<string, string> = { compile: COMPILE_USAGE, export: EXPORT_USAGE, 'archive-link': ARCHIVE_LINK_USAGE };
    const usage = command && Object.hasOwn(usages, command) ? `Usage:\n${usages[command]}` : USAGE;
    const exit = exitFor(error, { usage });
    // A crash: Node prints it, stack and causes, and exits 1 (open handles such as a store cannot keep it alive).
    if (exit.stack) throw error;
    line(exit.message);
    return exit.status;
  }
}

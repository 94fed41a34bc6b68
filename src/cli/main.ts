import { loadDotEnv } from '../config/env.ts';
import { runCli } from './cli.ts';

/**
 * The `weekly-report` command's entry point (bin/weekly-report.js, `npm run cli`): `.env` in the
 * working directory first, as the bot reads it; src/cli/cli.ts does the work.
 */
loadDotEnv();
process.exitCode = await runCli(process.argv.slice(2));

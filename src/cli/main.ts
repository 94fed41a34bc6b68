import { runCli } from './cli.ts';

/** The `weekly-report` command's entry point (bin/weekly-report.js, `npm run cli`): src/cli/cli.ts does the work. */
process.exitCode = await runCli(process.argv.slice(2));

#!/usr/bin/env node
// The `weekly-report` command. After `npm run build` it runs the compiled CLI (dist/), which needs
// no dev dependency; in a checkout that was never built it runs the TypeScript sources through tsx.
// A build is not refreshed here: after editing src/, run `npm run build` again or delete dist/.
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  let tsx;
  try {
    tsx = await import('tsx/esm/api');
  } catch {
    process.stderr.write('weekly-report: dist/ is not built and tsx (a dev dependency) is not installed: run `npm run build`, or `npm install`.\n');
    process.exit(1);
  }
  tsx.register();
  await import('../src/cli/main.ts');
}

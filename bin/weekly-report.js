#!/usr/bin/env node
// The `weekly-report` command. In a checkout with dev dependencies it runs the TypeScript sources
// through tsx, so it is never a stale build; in a production install (`npm prune --omit=dev`, no
// tsx) it runs the compiled CLI from dist/ (`npm run build`).
import { existsSync } from 'node:fs';
import process from 'node:process';
import { URL } from 'node:url';

let tsx;
try {
  tsx = await import('tsx/esm/api');
} catch {
  tsx = null;
}
const compiled = new URL('../dist/src/cli/main.js', import.meta.url);
if (tsx) {
  tsx.register();
  await import('../src/cli/main.ts');
} else if (existsSync(compiled)) {
  await import(compiled.href);
} else {
  process.stderr.write('weekly-report: tsx (a dev dependency) is not installed and dist/ is not built: run `npm install`, or `npm run build`.\n');
  process.exit(1);
}

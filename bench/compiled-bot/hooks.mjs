// Module resolution hooks for the bench's bot process. The bench's own code (bench/*.ts) still
// runs through tsx, but every import of the bot's code (src/…, handlers/… as .ts) is sent to its
// compiled copy in dist/, so that what is measured is what `npm run start:prod` runs.
import { existsSync } from 'node:fs';
import { URL } from 'node:url';

const root = new URL('../../', import.meta.url).href;
const compiled = ['src/', 'handlers/'];

export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  const { url } = resolved;
  if (!url.startsWith(root) || !url.endsWith('.ts')) return resolved;
  const relative = url.slice(root.length);
  if (!compiled.some((folder) => relative.startsWith(folder))) return resolved;
  const target = `${root}dist/${relative.replace(/\.ts$/, '.js')}`;
  if (!existsSync(new URL(target))) throw new Error(`bench: ${relative} has no compiled copy in dist/: run \`npm run build\` first`);
  return { ...resolved, url: target, format: 'module', shortCircuit: true };
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** File → the project files it imports, as paths relative to the repository root (`src/report/compile.ts`). */
export type ImportGraph = Map<string, string[]>;

const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The imports between the TypeScript files under `folders` of `root`, read from their text. */
export function importGraph(root: string, folders: readonly string[]): ImportGraph {
  const graph: ImportGraph = new Map();
  for (const folder of folders) {
    for (const file of tsFiles(path.join(root, folder))) {
      const from = path.relative(root, file).split(path.sep).join('/');
      graph.set(from, importsOf(readFileSync(file, 'utf8'), from));
    }
  }
  return graph;
}

/** The project files a module's text imports (relative specifiers only; packages are not part of the layers). */
export function importsOf(text: string, from: string): string[] {
  const targets: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2];
    if (!specifier?.startsWith('.')) continue;
    targets.push(path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier)));
  }
  return targets;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return tsFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

/** A layer rule: files matching `from` (and not `except`) must not import files matching `to`. */
export interface LayerRule {
  name: string;
  from: RegExp;
  to: RegExp;
  except?: RegExp;
}

export interface Violation {
  rule: string;
  from: string;
  to: string;
}

export function layerViolations(graph: ImportGraph, rules: readonly LayerRule[]): Violation[] {
  const found: Violation[] = [];
  for (const [from, targets] of graph) {
    for (const rule of rules) {
      if (!rule.from.test(from) || rule.except?.test(from)) continue;
      for (const to of targets) if (rule.to.test(to)) found.push({ rule: rule.name, from, to });
    }
  }
  return found;
}

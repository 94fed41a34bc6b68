import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** File → the project files it imports, as paths relative to the repository root (`src/report/compile.ts`). */
export type ImportGraph = Map<string, string[]>;

/** `import … from`, `import type … from`, `export … from`, a side-effect `import '…'`, and `import('…')`. */
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

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

/**
 * The project files a module's text imports (relative specifiers only; packages are not part of the
 * layers). Type-only imports count: they tie the files together as much as any other.
 */
export function importsOf(text: string, from: string): string[] {
  const targets: string[] = [];
  for (const match of text.matchAll(IMPORT)) {
    const specifier = match[1] ?? match[2] ?? match[3];
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

/**
 * The import circles of the graph: each a set of files that import one another, directly or through
 * each other (a strongly connected component of more than one file, or a file importing itself),
 * sorted. Only edges between the graph's files count: an import leaving the scanned folders closes no circle.
 */
export function importCircles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm: one depth-first walk; a file from which no file earlier on the stack can be
  // reached closes a component, made of it and the files above it on the stack.
  const seen = new Map<string, { index: number; lowest: number }>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];

  const visit = (file: string): number => {
    const mine = { index: seen.size, lowest: seen.size };
    seen.set(file, mine);
    stack.push(file);
    onStack.add(file);
    const targets = (graph.get(file) ?? []).filter((target) => graph.has(target));
    for (const target of targets) {
      const known = seen.get(target);
      if (!known) mine.lowest = Math.min(mine.lowest, visit(target));
      else if (onStack.has(target)) mine.lowest = Math.min(mine.lowest, known.index);
    }
    if (mine.lowest === mine.index) {
      const component = stack.splice(stack.indexOf(file));
      for (const member of component) onStack.delete(member);
      if (component.length > 1 || targets.includes(file)) circles.push(component.sort());
    }
    return mine.lowest;
  };

  for (const file of graph.keys()) if (!seen.has(file)) visit(file);
  return circles.sort((a, b) => a.join().localeCompare(b.join()));
}

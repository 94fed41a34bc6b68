import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importCircles, importGraph, importsOf, layerViolations, type ImportGraph, type LayerRule } from './support/import-graph.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Where src/ may meet handlers/: the process entry point, the CLI, the seed, and the one binding of handlers to platforms. */
const COMPOSITION_ROOTS = /^src\/(main\.ts|app\.ts|cli\/|seed\/)/;
/** A concrete platform: its folder, or the list of modules that names them all. */
const CONCRETE_PLATFORM = /^src\/platforms\/([^/]+\/|modules\.ts$)/;

/** The layer rules of README "How it works". Dependencies point one way: handlers → src, adapters → core. */
const RULES: readonly LayerRule[] = [
  { name: 'src/ imports handlers/ only in the composition roots', from: /^src\//, except: COMPOSITION_ROOTS, to: /^handlers\// },
  { name: 'the report core imports no store, platform or handler', from: /^src\/report\//, to: /^(src\/store\/|src\/platforms\/|handlers\/)/ },
  { name: 'platforms never import handlers', from: /^src\/platforms\//, to: /^handlers\// },
  { name: 'the scheduler is a mechanism: it imports no use case', from: /^src\/schedule\//, to: /^handlers\// },
  { name: 'the store imports no use case and no concrete platform', from: /^src\/store\//, to: /^(handlers\/|src\/platforms\/[^/]+\/)/ },
  { name: 'handlers import no concrete platform', from: /^handlers\//, to: CONCRETE_PLATFORM },
  { name: 'handlers import no concrete store', from: /^handlers\//, to: /^src\/store\/(mongo\/|memory\.ts|memory\/)/ },
  { name: 'the HTTP server knows no platform: they contribute routes to it', from: /^src\/http\//, to: /^src\/platforms\// },
];

describe('the layers', () => {
  const graph = importGraph(ROOT, ['src', 'handlers']);

  it('reads the imports of every module', () => {
    expect(graph.size).toBeGreaterThan(50);
    expect(graph.get('handlers/inbound/reply.ts')).toContain('src/report/parse/index.ts');
  });

  it('keeps every rule', () => {
    expect(layerViolations(graph, RULES)).toEqual([]);
  });

  it('fails on a deliberate violation of each rule', () => {
    const broken = new Map(graph);
    broken.set('src/schedule/scheduler.ts', [...(graph.get('src/schedule/scheduler.ts') ?? []), 'handlers/cycle/jobs.ts']);
    broken.set('src/report/compile.ts', importsOf("import { MongoStore } from '../store/mongo/mongo-store.ts';", 'src/report/compile.ts'));
    broken.set('src/platforms/slack/app.ts', importsOf("const h = await import('../../../handlers/inbound/reply.ts');", 'src/platforms/slack/app.ts'));
    broken.set(
      'handlers/cycle/prompt.ts',
      importsOf(
        "import { SlackPlatform } from '../../src/platforms/slack/client-platform.ts';\nimport { MongoStore } from '../../src/store/mongo/mongo-store.ts';",
        'handlers/cycle/prompt.ts',
      ),
    );
    broken.set('src/store/memory.ts', importsOf("export { handleReply } from '../../handlers/inbound/reply.ts';", 'src/store/memory.ts'));
    broken.set('src/http/server.ts', importsOf("import { FEISHU_WEBHOOK_PATHS } from '../platforms/feishu/index.ts';", 'src/http/server.ts'));
    const rules = new Set(layerViolations(broken, RULES).map((v) => v.rule));
    expect([...rules].sort()).toEqual(RULES.map((r) => r.name).sort());
  });
});

describe('import circles', () => {
  // bench/ also imports test/fakes/: edges that leave the scanned folders close no circle.
  const graph = importGraph(ROOT, ['src', 'handlers', 'bench']);

  it('reads type-only and side-effect imports as edges', () => {
    expect(graph.get('src/platforms/inbound.ts')).toContain('src/platforms/runtime.ts');
    expect(importsOf("import type { A } from './a.ts';\nimport './b.ts';", 'src/x.ts')).toEqual(['src/a.ts', 'src/b.ts']);
    expect(graph.get('bench/child.ts')).toContain('src/platforms/inbound.ts');
  });

  it('has no import circle in src/, handlers/ or bench/', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('fails on a deliberate circle, even of type-only imports', () => {
    const broken = new Map(graph);
    const runtime = 'src/platforms/runtime.ts';
    broken.set(runtime, [...(graph.get(runtime) ?? []), ...importsOf("import type { Inbound } from './inbound.ts';", runtime)]);
    expect(importCircles(broken)).toEqual([['src/platforms/inbound.ts', runtime]]);
  });

  it('finds each circle once, a file importing itself included, and nothing else', () => {
    const toy: ImportGraph = new Map([
      ['e.ts', ['a.ts', 'f.ts']],
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts', 'd.ts', 'elsewhere.ts']],
      ['d.ts', ['d.ts']],
      ['f.ts', ['elsewhere.ts']],
      ['elsewhere-importer.ts', ['elsewhere.ts']],
    ]);
    expect(importCircles(toy)).toEqual([['a.ts', 'b.ts', 'c.ts'], ['d.ts']]);
  });
});

import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import YAML from 'yaml';
import { DefinitionError, parseTeamDefinition, type TeamReport } from '../report/definition.ts';

/** The `templates/` folder shipped with the project. */
export const DEFAULT_TEMPLATES_DIR = fileURLToPath(new URL('../../templates/', import.meta.url));

/** Loads one team's definition (`<dir>/<id>.yaml` or `.json`) and its layout template. */
export async function loadTeamReport(file: string): Promise<TeamReport> {
  const source = path.relative(process.cwd(), file) || file;
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new DefinitionError(`${source}: cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new DefinitionError(doc.errors.map((e) => `${source}: ${e.message}`).join('\n'));
  }
  const definition = parseTeamDefinition(doc.toJS(), source);
  const layoutFile = path.resolve(path.dirname(file), definition.layout);
  let layout: string;
  try {
    layout = await readFile(layoutFile, 'utf8');
  } catch {
    throw new DefinitionError(`${source}: layout: expected a layout template file, "${definition.layout}" not found next to the definition`);
  }
  return { definition, layout, source };
}

/** Finds a team by report id in a templates folder. */
export async function loadTeamReportById(id: string, dir = DEFAULT_TEMPLATES_DIR): Promise<TeamReport> {
  for (const ext of ['.yaml', '.yml', '.json']) {
    const file = path.join(dir, `${id}${ext}`);
    try {
      await readFile(file);
    } catch {
      continue;
    }
    return loadTeamReport(file);
  }
  const known = (await listDefinitionFiles(dir)).map((f) => path.basename(f).replace(/\.(ya?ml|json)$/, ''));
  throw new DefinitionError(`no team definition "${id}" in ${dir} (found: ${known.join(', ') || 'none'})`);
}

async function listDefinitionFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names.filter((n) => /\.(ya?ml|json)$/.test(n)).sort().map((n) => path.join(dir, n));
}

/** Every team defined in a templates folder; the bot runs all of them. */
export async function loadAllTeamReports(dir = DEFAULT_TEMPLATES_DIR): Promise<TeamReport[]> {
  const files = await listDefinitionFiles(dir);
  const reports = await Promise.all(files.map((f) => loadTeamReport(f)));
  const ids = new Set<string>();
  for (const report of reports) {
    if (ids.has(report.definition.id)) {
      throw new DefinitionError(`${report.source}: id: "${report.definition.id}" is defined by another file too`);
    }
    ids.add(report.definition.id);
  }
  return reports;
}

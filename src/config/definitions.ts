import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import YAML from 'yaml';
import { compileReport, LayoutError } from '../report/compile.ts';
import { DefinitionError, parseTeamDefinition, type PlatformFields, type Team } from '../report/definition.ts';
import { projectPath } from './project-root.ts';

/** The `templates/` folder shipped with the project. */
export const DEFAULT_TEMPLATES_DIR = projectPath('templates');

/**
 * Loads one team's definition (`<dir>/<id>.yaml` or `.json`) and its layout template. People's ids
 * and the report's destinations are checked against the platforms given (the platform modules).
 */
export async function loadTeam(file: string, platforms: readonly PlatformFields[]): Promise<Team> {
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
  const definition = parseTeamDefinition(doc.toJS(), source, platforms);
  const layoutFile = path.resolve(path.dirname(file), definition.layout);
  let layout: string;
  try {
    layout = await readFile(layoutFile, 'utf8');
  } catch {
    throw new DefinitionError(`${source}: layout: expected a layout template file, "${definition.layout}" not found next to the definition`);
  }
  const team: Team = { definition, layout, source };
  checkLayout(team);
  return team;
}

/**
 * Renders the layout once with an empty week, so that a broken layout (`# {{title}`, an unknown
 * `{{section.x}}`) stops the bot at start-up, naming the file, line and problem, rather than failing
 * the Friday publication.
 */
function checkLayout(team: Team): void {
  try {
    compileReport({ team, week: '2024-W01', createdAt: new Date(0), answers: [] });
  } catch (error) {
    if (error instanceof LayoutError) throw new DefinitionError(error.message);
    throw error;
  }
}

/** Finds a team by report id in a templates folder. */
export async function loadTeamById(id: string, platforms: readonly PlatformFields[], dir = DEFAULT_TEMPLATES_DIR): Promise<Team> {
  for (const ext of ['.yaml', '.yml', '.json']) {
    const file = path.join(dir, `${id}${ext}`);
    try {
      await readFile(file);
    } catch {
      continue;
    }
    return loadTeam(file, platforms);
  }
  const files = await listDefinitionFiles(dir).catch((error: NodeJS.ErrnoException) => {
    throw new DefinitionError(`no team definition "${id}" in ${dir}: the folder cannot be read (${error.code ?? error.message})`);
  });
  const known = files.map((f) => path.basename(f).replace(/\.(ya?ml|json)$/, ''));
  throw new DefinitionError(`no team definition "${id}" in ${dir} (found: ${known.join(', ') || 'none'})`);
}

async function listDefinitionFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir);
  return names
    .filter((n) => /\.(ya?ml|json)$/.test(n))
    .sort()
    .map((n) => path.join(dir, n));
}

/** Every team defined in a templates folder; the bot runs all of them. */
export async function loadAllTeams(platforms: readonly PlatformFields[], dir = DEFAULT_TEMPLATES_DIR): Promise<Team[]> {
  const files = await listDefinitionFiles(dir);
  const reports = await Promise.all(files.map((f) => loadTeam(f, platforms)));
  const ids = new Set<string>();
  for (const report of reports) {
    if (ids.has(report.definition.id)) {
      throw new DefinitionError(`${report.source}: id: "${report.definition.id}" is defined by another file too`);
    }
    ids.add(report.definition.id);
  }
  return reports;
}

import { execFile, spawn } from 'node:child_process';
import { access, chmod, cp, mkdir, mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/**
 * FerretDB (a MongoDB-wire server over SQLite), built from the Go module proxy and started for
 * one test run: the database of last resort when there is no TEST_MONGODB_URI and no mongod.
 */
export const FERRETDB_VERSION = 'v1.24.2';

const run = promisify(execFile);
const MODULE = `github.com/FerretDB/FerretDB@${FERRETDB_VERSION}`;
// Where tools keep their caches (mongodb-memory-server keeps mongod next door): ignored by git,
// and rebuilt after `npm ci` wipes node_modules.
const CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/weekly-report-bot/', import.meta.url));
export const FERRETDB_BINARY = path.join(CACHE_DIR, `ferretdb-${FERRETDB_VERSION}`);

export interface RunningFerretdb {
  uri: string;
  stop(): Promise<void>;
}

/** Whether `go` can be run at all; FerretDB is built with it. */
export async function goIsAvailable(): Promise<boolean> {
  try {
    await run('go', ['version']);
    return true;
  } catch {
    return false;
  }
}

/**
 * The FerretDB binary, built once (a minute or two) and then reused from the cache. The build goes
 * to a temporary name first, so a run that is killed mid-build, or two runs building at once,
 * never leave a half-written binary under the cached name.
 */
export async function ferretdbBinary(say: (line: string) => void): Promise<string> {
  if (await exists(FERRETDB_BINARY)) return FERRETDB_BINARY;
  say(`building FerretDB ${FERRETDB_VERSION} from the Go module proxy (once; cached at ${path.relative(process.cwd(), FERRETDB_BINARY)})`);
  const work = await mkdtemp(path.join(tmpdir(), 'ferretdb-build-'));
  try {
    // `go mod download -json` prints the module's Dir, or an Error, and exits non-zero on failure.
    const { stdout, stderr } = await run('go', ['mod', 'download', '-json', MODULE], {
      cwd: work,
      env: { ...process.env, GOFLAGS: `${process.env.GOFLAGS ?? ''} -mod=mod`.trim() },
      maxBuffer: 16 * 1024 * 1024,
    }).catch((error: { stdout?: string; stderr?: string }) => ({ stdout: error.stdout ?? '', stderr: error.stderr ?? '' }));
    const downloaded = (stdout.trim().startsWith('{') ? JSON.parse(stdout) : {}) as { Dir?: string; Error?: string };
    if (!downloaded.Dir) throw new Error(`go mod download ${MODULE} failed: ${downloaded.Error ?? lastLines(stderr)}`);

    // The module cache is read-only, and the module lacks the version file its release builds
    // generate: without it the binary panics at start.
    const source = path.join(work, 'src');
    await cp(downloaded.Dir, source, { recursive: true });
    await run('chmod', ['-R', 'u+w', source]);
    await writeFile(path.join(source, 'build/version/version.txt'), `${FERRETDB_VERSION}\n`);

    await mkdir(CACHE_DIR, { recursive: true });
    const partial = `${FERRETDB_BINARY}.${process.pid}.partial`;
    await run('go', ['build', '-o', partial, './cmd/ferretdb'], { cwd: source, maxBuffer: 16 * 1024 * 1024 }).catch((error: { stderr?: string }) => {
      throw new Error(`go build of FerretDB failed: ${lastLines(error.stderr ?? String(error))}`);
    });
    await chmod(partial, 0o755);
    await rename(partial, FERRETDB_BINARY);
    return FERRETDB_BINARY;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

export interface FerretdbPlacement {
  /** Where the data lives; kept on stop (a server stopped and started again). Default: a fresh directory, removed on stop. */
  dataDir?: string;
  /** Default: a free port. */
  port?: number;
}

/** Starts FerretDB on 127.0.0.1 (a free port unless given), with its data in a fresh directory removed on stop unless one is given. */
export async function startFerretdb(binary: string, placement: FerretdbPlacement = {}): Promise<RunningFerretdb> {
  const dataDir = placement.dataDir ?? (await mkdtemp(path.join(tmpdir(), 'ferretdb-data-')));
  await mkdir(path.join(dataDir, 'sqlite'), { recursive: true });
  const port = placement.port ?? (await freePort());
  const child = spawn(
    binary,
    [
      '--handler=sqlite',
      `--sqlite-url=file:${path.join(dataDir, 'sqlite')}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  // 'error' (the binary cannot be run at all) comes instead of 'exit'.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', (error) => {
      keep(Buffer.from(error.message));
      resolve();
    });
  });
  let running = true;
  void exited.then(() => (running = false));
  // If the test run dies without its teardown, the server must not outlive it.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async () => {
    process.off('exit', killOnExit);
    if (running) {
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(forced);
    }
    if (!placement.dataDir) await rm(dataDir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 20_000;
  while (!(await accepts(port))) {
    if (!running || Date.now() > deadline) {
      await stop();
      throw new Error(`${binary} did not start on 127.0.0.1:${port}: ${lastLines(output) || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { uri: `mongodb://127.0.0.1:${port}`, stop };
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-5).join(' | ');
}

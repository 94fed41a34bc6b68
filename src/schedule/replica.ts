import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { BotError } from '../errors.ts';

/** The file in DATA_DIR naming the process that last ran with it. */
export const REPLICA_FILE = 'replica.json';
/** The lock in DATA_DIR held by the process running with it: a directory (mkdir is atomic), refreshed while it lives. */
export const REPLICA_LOCK = 'replica.lock';

/**
 * A lock not refreshed for this long is a dead process's. kill -9 and crashes leave the lock
 * behind (no exit hook runs), refreshed at most stale / 2 before: a restart waits at most this
 * long for it. The price of a short one: a live process whose event loop stalls this long while
 * another one waits for the directory loses it (see onLost). proper-lockfile's minimum is 2000.
 */
const STALE_MS = 5000;
/** How often a process waiting for the lock tries again. */
const RETRY_MS = 250;

/** This process's name in job-run, publication and prompt claims, and its previous life's. */
export interface ReplicaIdentity {
  holder: string;
  /** The holder name of the process that ran with this DATA_DIR before, now gone; null on a first start. */
  previousHolder: string | null;
  /** Gives the directory up (on a clean shutdown, once the spool is closed). Safe to call twice. */
  release(): Promise<void>;
}

/** Another live process runs with this DATA_DIR: two replicas must never share one. */
export class DataDirInUseError extends BotError {
  override name = 'DataDirInUseError';
  constructor(message: string, options?: ErrorOptions) {
    super('data_dir_in_use', message, options);
  }
}

interface ReplicaRecord {
  holder: string;
  hostname: string;
  pid: number;
}

export interface ReplicaIdentityOptions {
  hostname?: string;
  pid?: number;
  /** A lock not refreshed for this long is a dead process's (default 5000 ms, at least 2000). */
  staleMs?: number;
  /**
   * How long to wait for a held lock to be released or to go stale before refusing. Default:
   * staleMs + 1 s, so that a restart right after a kill -9 waits for its own dead lock to go stale
   * instead of refusing; a second live process is refused after that long.
   */
  waitMs?: number;
  /**
   * Called when the lock is lost while held: its directory was deleted, or another process found
   * it stale (this one stalled for staleMs) and took it. Default: throw it, which ends the process
   * (uncaught), since two processes may now be writing the same spool.
   */
  onLost?: (error: DataDirInUseError) => void;
}

/**
 * Names this process for its claims, and finds what its previous life held.
 *
 * A data directory belongs to one replica: the inbound spool in it can only have one writer, and
 * this lock (DATA_DIR/replica.lock, by proper-lockfile) is what makes it so; the spool relies on it.
 * A process that finds the lock held by a live process (it keeps being refreshed) refuses to start.
 * A process that gets the lock after a previous one (a clean stop, or one whose lock went stale
 * after `kill -9`, a crash, a deploy) is that replica restarted: whatever the previous name, read
 * from DATA_DIR/replica.json, still holds (a fan-out's run, its prompts being sent) belongs to a
 * dead process. The caller releases it at once (Store.releaseHolder) instead of waiting a minute
 * for the lease to run out; other replicas' claims are untouched. replica.json is written only
 * once the lock is held.
 */
export async function claimReplicaIdentity(dataDir: string, options: ReplicaIdentityOptions = {}): Promise<ReplicaIdentity> {
  const host = options.hostname ?? hostname();
  const pid = options.pid ?? process.pid;
  const staleMs = Math.max(options.staleMs ?? STALE_MS, 2000);
  const waitMs = options.waitMs ?? staleMs + 1000;
  const file = path.join(dataDir, REPLICA_FILE);
  const lockDir = path.join(dataDir, REPLICA_LOCK);
  await mkdir(dataDir, { recursive: true });

  let releaseLock: () => Promise<void>;
  try {
    releaseLock = await lockfile.lock(dataDir, {
      lockfilePath: lockDir,
      // DATA_DIR as given: the lock is the directory on disk, whatever path leads to it.
      realpath: false,
      stale: staleMs,
      retries: { retries: Math.ceil(waitMs / RETRY_MS), factor: 1, minTimeout: RETRY_MS, maxTimeout: RETRY_MS },
      onCompromised: (error) => {
        const lost = new DataDirInUseError(`DATA_DIR ${dataDir}: lost its lock ${lockDir} (${error.message}); another process may be using the directory`, {
          cause: error,
        });
        if (options.onLost) options.onLost(lost);
        else throw lost;
      },
    });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    const running = await readRecord(file);
    const who = running ? ` (pid ${running.pid}${running.hostname === host ? '' : ` on ${running.hostname}`})` : '';
    throw new DataDirInUseError(`DATA_DIR ${dataDir} is in use by another bot process${who}. Give each replica its own DATA_DIR.`, { cause: error });
  }

  const holder = `${host}:${pid}:${randomBytes(3).toString('hex')}`;
  let previous: ReplicaRecord | null;
  try {
    previous = await readRecord(file);
    const temporary = `${file}.tmp`;
    await writeFile(temporary, `${JSON.stringify({ holder, hostname: host, pid } satisfies ReplicaRecord)}\n`);
    await rename(temporary, file);
  } catch (error) {
    await releaseLock();
    throw error;
  }
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    await releaseLock().catch((error: NodeJS.ErrnoException) => {
      // Lost meanwhile (onLost was told): nothing left to give up.
      if (error.code !== 'ERELEASED') throw error;
    });
  };
  return { holder, previousHolder: previous?.holder ?? null, release };
}

async function readRecord(file: string): Promise<ReplicaRecord | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  try {
    const record = JSON.parse(text) as Partial<ReplicaRecord>;
    if (typeof record.holder === 'string' && typeof record.hostname === 'string' && typeof record.pid === 'number') return record as ReplicaRecord;
  } catch {
    // A record cut short by a crash mid-write names nobody: start as on a first start.
  }
  return null;
}

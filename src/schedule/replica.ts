import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import path from 'node:path';
import { BotError } from '../errors.ts';

/** The file in DATA_DIR naming the process that last ran with it. */
export const REPLICA_FILE = 'replica.json';

/** This process's name in job-run, publication and prompt claims, and its previous life's. */
export interface ReplicaIdentity {
  holder: string;
  /** The holder name of the process that ran with this DATA_DIR before, now dead; null on a first start. */
  previousHolder: string | null;
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
  /** Whether a process with this pid runs on this host (tests pass their own). */
  isAlive?: (pid: number) => boolean;
}

/**
 * Names this process for its claims, and finds what its previous life held.
 *
 * A data directory belongs to one replica: the inbound spool in it can only have one writer.
 * So a process starting with a DATA_DIR whose last process is gone is that replica restarted
 * (after `kill -9`, a crash, a deploy), and whatever the previous name still holds (a fan-out's
 * run, its prompts being sent) belongs to a dead process. The caller releases it at once
 * (Store.releaseHolder) instead of waiting a minute for the lease to run out; other replicas'
 * claims are untouched. A process that finds the directory's last process still alive on this
 * host refuses to start rather than share it.
 */
export async function claimReplicaIdentity(dataDir: string, options: ReplicaIdentityOptions = {}): Promise<ReplicaIdentity> {
  const host = options.hostname ?? hostname();
  const pid = options.pid ?? process.pid;
  const isAlive = options.isAlive ?? processIsAlive;
  const file = path.join(dataDir, REPLICA_FILE);
  const previous = await readRecord(file);
  if (previous && previous.hostname === host && previous.pid !== pid && isAlive(previous.pid)) {
    throw new DataDirInUseError(
      `DATA_DIR ${dataDir} is in use by another bot process (pid ${previous.pid}). Give each replica its own DATA_DIR; ` +
        `if pid ${previous.pid} is not a bot, delete ${file} and start again.`,
    );
  }
  const holder = `${host}:${pid}:${randomBytes(3).toString('hex')}`;
  await mkdir(dataDir, { recursive: true });
  const temporary = `${file}.tmp`;
  await writeFile(temporary, `${JSON.stringify({ holder, hostname: host, pid } satisfies ReplicaRecord)}\n`);
  await rename(temporary, file);
  return { holder, previousHolder: previous?.holder ?? null };
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

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

import { mkdir, open, rename, type FileHandle } from 'node:fs/promises';
import path from 'node:path';

/** The spool's file in the data directory. */
export const SPOOL_FILE = 'inbound-spool.jsonl';

/** Once nothing is pending, a file larger than this is emptied (its lines are all settled). */
const COMPACT_AT_BYTES = 1024 * 1024;

/** How the spool opens its file (node:fs/promises `open`; tests give one whose writes fail, as on a full disk). */
export type OpenSpoolFile = (file: string, flags: 'r' | 'w' | 'a') => Promise<FileHandle>;

/**
 * A write to the spool failed (a full disk: ENOSPC, a read-only or missing volume): says which file
 * and what the system answered, and keeps the system's code. The adapter logs it once, with the
 * error status it answers the platform with.
 */
export class SpoolWriteError extends Error {
  override readonly name = 'SpoolWriteError';
  /** The system's error code, e.g. ENOSPC. */
  readonly code: string | undefined;
  readonly syscall: string | undefined;

  constructor(
    readonly file: string,
    systemError: unknown,
  ) {
    // The system's message is in this one (not as a cause, which loggers would print a second time).
    super(`could not write the inbound spool ${file}: ${systemError instanceof Error ? systemError.message : String(systemError)}`);
    this.code = (systemError as NodeJS.ErrnoException | undefined)?.code;
    this.syscall = (systemError as NodeJS.ErrnoException | undefined)?.syscall;
  }
}

/** One verified delivery from a platform, kept until the work it started is done. */
export interface SpoolEntry {
  id: number;
  platform: string;
  /** When the bot received it (ISO 8601): what the owner is told, and the answer's receive time. */
  receivedAt: string;
  /** The verified payload, as the adapter will process it again on replay. */
  payload: unknown;
}

type SpoolLine = { add: SpoolEntry } | { done: number };

interface PendingWrite {
  line: string;
  /** Whether the write must reach the disk before `resolve` (an entry must; a "done" marker need not). */
  sync: boolean;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * A write-ahead log of what the bot acknowledged to a platform, in one append-only file of JSON
 * lines: `{"add": entry}` when a delivery arrives, `{"done": id}` once its work is finished. An
 * entry is on disk (written and fdatasync'ed) before `append` resolves, so before the platform is
 * answered: a reply acknowledged while the store is down, or just before a crash, is still here
 * at the next start. Appends arriving together share one write and one sync (group commit).
 *
 * A "done" marker is not synced: if it is lost, the entry is replayed once more, and replays are
 * de-duplicated downstream by the platform's event id. A last line cut short by a crash was never
 * synced, so never acknowledged: it is ignored.
 */
export class Spool {
  private readonly pendingEntries = new Map<number, SpoolEntry>();
  private queue: PendingWrite[] = [];
  private flushing: Promise<void> | null = null;
  private nextId: number;
  private bytes: number;
  /** A write failed: the file may end in part of a line, which the next write must not extend. */
  private torn = false;

  private constructor(
    private readonly file: string,
    private handle: FileHandle,
    entries: SpoolEntry[],
    bytes: number,
    lastId: number,
  ) {
    for (const entry of entries) this.pendingEntries.set(entry.id, entry);
    this.bytes = bytes;
    this.nextId = lastId + 1;
  }

  /**
   * Opens (creating) the spool in `dir`, keeping only the entries not yet done. One writer per
   * directory: the caller holds the directory's replica lock (src/schedule/replica.ts) first.
   */
  static async open(dir: string, openFile: OpenSpoolFile = open): Promise<Spool> {
    await mkdir(dir, { recursive: true });
    const file = path.join(dir, SPOOL_FILE);
    const { entries, lastId } = await readSpool(file, openFile);
    // Rewrite the file with only what is pending: a crash mid-rewrite leaves the old file whole.
    const temporary = `${file}.tmp`;
    const rewrite = await openFile(temporary, 'w');
    const text = entries.map((entry) => `${JSON.stringify({ add: entry } satisfies SpoolLine)}\n`).join('');
    await rewrite.writeFile(text);
    await rewrite.datasync();
    await rewrite.close();
    await rename(temporary, file);
    await syncDirectory(dir);
    const handle = await openFile(file, 'a');
    return new Spool(file, handle, entries, Buffer.byteLength(text), lastId);
  }

  /** Entries whose work is not done, in arrival order. */
  pending(): SpoolEntry[] {
    return [...this.pendingEntries.values()].sort((a, b) => a.id - b.id);
  }

  /** Adds a delivery; resolves once it is on disk. Rejects when it could not be written. */
  async append(platform: string, payload: unknown, receivedAt: Date): Promise<SpoolEntry> {
    const entry: SpoolEntry = { id: this.nextId++, platform, receivedAt: receivedAt.toISOString(), payload };
    await this.write(JSON.stringify({ add: entry } satisfies SpoolLine), true);
    this.pendingEntries.set(entry.id, entry);
    return entry;
  }

  /** Marks an entry's work done: it is not replayed again. */
  async complete(id: number): Promise<void> {
    if (!this.pendingEntries.delete(id)) return;
    await this.write(JSON.stringify({ done: id } satisfies SpoolLine), false);
  }

  async close(): Promise<void> {
    await this.flushing;
    await this.handle.close();
  }

  private write(line: string, sync: boolean): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ line: `${line}\n`, sync, resolve, reject });
      this.flushing ??= this.flush().finally(() => {
        this.flushing = null;
      });
    });
  }

  /** Writes what is queued, a batch at a time, one sync per batch that needs one. */
  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        // After a failed write (a full disk may have taken part of it), start on a line of our own:
        // the cut line stays unreadable (and was never acknowledged), the next one is whole.
        const text = (this.torn ? '\n' : '') + batch.map((w) => w.line).join('');
        this.torn = true;
        await this.handle.write(text);
        this.torn = false;
        if (batch.some((w) => w.sync)) await this.handle.datasync();
        this.bytes += Buffer.byteLength(text);
        for (const w of batch) w.resolve();
      } catch (error) {
        const failure = new SpoolWriteError(this.file, error);
        for (const w of batch) w.reject(failure);
      }
      if (this.pendingEntries.size === 0 && this.queue.length === 0 && this.bytes > COMPACT_AT_BYTES) await this.empty();
    }
  }

  /** Nothing is pending: every line is settled, so the file can start over. */
  private async empty(): Promise<void> {
    await this.handle.truncate(0);
    await this.handle.datasync();
    this.bytes = 0;
  }

  /** Where the spool lives (for the start-up log line). */
  get location(): string {
    return this.file;
  }
}

async function readSpool(file: string, openFile: OpenSpoolFile): Promise<{ entries: SpoolEntry[]; lastId: number }> {
  let text = '';
  try {
    const handle = await openFile(file, 'r');
    text = await handle.readFile('utf8');
    await handle.close();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const entries = new Map<number, SpoolEntry>();
  let lastId = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let parsed: SpoolLine;
    try {
      parsed = JSON.parse(line) as SpoolLine;
    } catch {
      // The last line of a crash, written but never synced: never acknowledged either.
      continue;
    }
    if ('add' in parsed) {
      entries.set(parsed.add.id, parsed.add);
      lastId = Math.max(lastId, parsed.add.id);
    } else if ('done' in parsed) {
      entries.delete(parsed.done);
    }
  }
  return { entries: [...entries.values()].sort((a, b) => a.id - b.id), lastId };
}

/** Makes a rename durable (the directory entry), where the platform allows opening a directory. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    await handle.datasync().finally(() => handle.close());
  } catch {
    // Not supported here (e.g. Windows): the rename is as durable as the platform makes it.
  }
}

// One process at a time on an embedded (PGlite) data folder. PGlite has no server to arbitrate: two
// processes on one folder each keep their own copy in memory and overwrite each other's files, losing
// acknowledged writes or leaving a folder that no longer opens. The lock file holds the owner's PID and
// that process's start time (from /proc), so a PID reused by an unrelated process after a kill -9 is
// recognised as stale rather than as a live owner.
import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const LOCK_FILE_NAME = 'pglite.lock';

interface LockContent {
  pid: number;
  /** Clock ticks since boot when the process started (field 22 of /proc/<pid>/stat); null without /proc. */
  startTime: string | null;
  token: string;
  acquiredAt: string;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dataDir: string,
    readonly ownerPid: number,
    readonly since: string,
  ) {
    super(
      `the embedded database in ${dataDir} is in use by process ${ownerPid} (since ${since}); ` +
        'stop that process first, or give this one its own DATA_DIR (or a DATABASE_URL)',
    );
    this.name = 'DataDirInUseError';
  }
}

function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[19] ?? null; // field 22 overall
  } catch {
    return null;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readLock(file: string): LockContent | null {
  try {
    const content = JSON.parse(readFileSync(file, 'utf8')) as LockContent;
    return Number.isInteger(content.pid) ? content : null;
  } catch {
    return null; // missing, or half written by a process killed while writing it
  }
}

function ownerIsRunning(owner: LockContent): boolean {
  if (!isAlive(owner.pid)) return false;
  const current = processStartTime(owner.pid);
  // Without /proc on either side the PID is all there is to go on.
  return owner.startTime === null || current === null || current === owner.startTime;
}

interface DataDirLock {
  readonly file: string;
  /** Removes the lock file if it is still this process's own. */
  release(): void;
}

export type LockLog = (message: string) => void;

/** Takes the folder's lock or throws DataDirInUseError; a stale lock (its owner gone) is taken over. */
export function acquireDataDirLock(dataDir: string, log: LockLog = (message) => process.stderr.write(`${message}\n`)): DataDirLock {
  const file = path.join(dataDir, LOCK_FILE_NAME);
  const mine: LockContent = {
    pid: process.pid,
    startTime: processStartTime(process.pid),
    token: randomBytes(16).toString('hex'),
    acquiredAt: new Date().toISOString(),
  };
  for (let attempt = 0; attempt < 5; attempt += 1) {
    try {
      // 'wx' fails if the file exists: of two processes starting together exactly one creates it.
      writeFileSync(file, `${JSON.stringify(mine)}\n`, { flag: 'wx', mode: 0o600 });
      const release = () => {
        process.removeListener('exit', release);
        if (readLock(file)?.token === mine.token) {
          try {
            unlinkSync(file);
          } catch {
            // already gone
          }
        }
      };
      // A process that exits without closing the database (process.exit after an error) leaves no lock.
      process.on('exit', release);
      return { file, release };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readLock(file);
    if (owner && ownerIsRunning(owner)) throw new DataDirInUseError(dataDir, owner.pid, owner.acquiredAt);
    if (owner === null && attempt === 0) {
      // Possibly being written this instant by another starting process: look again before taking over.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      const again = readLock(file);
      if (again && ownerIsRunning(again)) throw new DataDirInUseError(dataDir, again.pid, again.acquiredAt);
    }
    log(
      owner
        ? `taking over the stale lock ${file}: its owner, process ${owner.pid} (since ${owner.acquiredAt}), is no longer running`
        : `taking over the unreadable lock ${file}`,
    );
    try {
      unlinkSync(file);
    } catch {
      // another process removed it first; the next attempt decides
    }
  }
  throw new Error(`could not take the lock ${file}`);
}

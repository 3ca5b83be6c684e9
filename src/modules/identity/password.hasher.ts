// Password hashing off the event loop (SPEC §2): bcryptjs runs in a pool of worker threads sized to the
// CPUs, so a burst of logins does not stall other requests. On Linux the workers also run at the lowest
// scheduling priority (nice 19): on a machine whose cores are all busy, bcrypt would otherwise take its share
// of CPU from the event loop and the database; at nice 19 it gets what they leave, and a login waits instead
// (bench: a 5 % login burst at cost 12 left `Me` p99 within noise at nice 19, +79 % at nice 10).
// Comparisons (someone is signing in) go before new hashes (registrations, resets, password changes), and
// new hashes never take the last worker, so a registration burst cannot queue logins behind it
// (docs/benchmarks.md, "Login during a registration burst").
// New hashes use the `bcrypt_sha256` scheme (bcrypt of the base64 SHA-256 of the password), because bcrypt
// reads only 72 bytes and no password may be truncated. Legacy raw bcrypt and unsalted SHA-256 hashes
// verify and are flagged for re-hashing.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import os from 'node:os';
import { Worker } from 'node:worker_threads';

export type PasswordScheme = 'BCRYPT_SHA256' | 'BCRYPT' | 'SHA256';

export interface StoredPassword {
  hash: string;
  scheme: PasswordScheme;
}

const require = createRequire(import.meta.url);

// Evaluated in each worker: the module path is passed in, so the same code runs from src/ and dist/.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
// On Linux a nice value belongs to the thread, so this lowers this worker alone; elsewhere (macOS,
// Windows) it would lower the whole process, so the workers keep the process's priority there.
if (process.platform === 'linux') {
  try { require('node:os').setPriority(workerData.niceness); } catch {}
}
const bcrypt = require(workerData.bcryptPath);
parentPort.postMessage({ ready: true });
parentPort.on('message', async ({ id, kind, secret, hash, cost }) => {
  try {
    const result = kind === 'hash' ? await bcrypt.hash(secret, cost) : await bcrypt.compare(secret, hash);
    parentPort.postMessage({ id, result });
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.message || error) });
  }
});
`;

/** Niceness of the hashing threads: below the event loop's and the database's (0), never above. */
export const HASHING_NICENESS = 19;

interface Task {
  id: number;
  kind: 'hash' | 'compare';
  secret: string;
  hash?: string;
  cost?: number;
  resolve(value: unknown): void;
  reject(error: Error): void;
}

export class BcryptPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly compares: Task[] = [];
  private readonly hashes: Task[] = [];
  private readonly running = new Map<number, Task>();
  /** New hashes running at once: all workers but one, which stays free for comparisons. */
  private readonly maxHashes: number;
  private runningHashes = 0;
  private nextId = 1;
  /** Settles once every worker has started: its priority is set and bcrypt is loaded. */
  readonly ready: Promise<void>;

  constructor(size = Math.max(1, os.availableParallelism())) {
    this.maxHashes = Math.max(1, size - 1);
    const bcryptPath = require.resolve('bcryptjs');
    const started: Promise<void>[] = [];
    for (let index = 0; index < size; index += 1) {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { bcryptPath, niceness: HASHING_NICENESS } });
      worker.unref();
      let markStarted!: () => void;
      started.push(new Promise<void>((resolve) => (markStarted = resolve)));
      worker.on('message', (message: { id: number; ready?: true; result?: unknown; error?: string }) => {
        if (message.ready) return markStarted();
        const task = this.running.get(message.id);
        this.running.delete(message.id);
        if (task?.kind === 'hash') this.runningHashes -= 1;
        this.idle.push(worker);
        if (task) {
          if (message.error) task.reject(new Error(message.error));
          else task.resolve(message.result);
        }
        this.drain();
      });
      this.workers.push(worker);
      this.idle.push(worker);
    }
    this.ready = Promise.all(started).then(() => undefined);
  }

  hash(secret: string, cost: number): Promise<string> {
    return this.submit('hash', secret, undefined, cost) as Promise<string>;
  }

  compare(secret: string, hash: string): Promise<boolean> {
    return this.submit('compare', secret, hash) as Promise<boolean>;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker.terminate()));
  }

  private submit(kind: Task['kind'], secret: string, hash?: string, cost?: number): Promise<unknown> {
    return new Promise((resolve, reject) => {
      (kind === 'compare' ? this.compares : this.hashes).push({ id: this.nextId++, kind, secret, hash, cost, resolve, reject });
      this.drain();
    });
  }

  private drain(): void {
    while (this.idle.length > 0) {
      const task = this.compares.shift() ?? (this.runningHashes < this.maxHashes ? this.hashes.shift() : undefined);
      if (!task) return;
      if (task.kind === 'hash') this.runningHashes += 1;
      const worker = this.idle.pop()!;
      this.running.set(task.id, task);
      worker.postMessage({ id: task.id, kind: task.kind, secret: task.secret, hash: task.hash, cost: task.cost });
    }
  }
}

function prehash(password: string): string {
  return createHash('sha256').update(password, 'utf8').digest('base64');
}

export class PasswordHasher {
  private dummy: Promise<string> | undefined;

  constructor(
    private readonly pool: BcryptPool,
    private readonly cost: number,
  ) {}

  async hash(password: string): Promise<StoredPassword> {
    return { hash: await this.pool.hash(prehash(password), this.cost), scheme: 'BCRYPT_SHA256' };
  }

  /** `needsRehash` is true when the password verified against a legacy scheme or an older cost. */
  async verify(password: string, stored: StoredPassword): Promise<{ valid: boolean; needsRehash: boolean }> {
    switch (stored.scheme) {
      case 'BCRYPT_SHA256': {
        const valid = await this.pool.compare(prehash(password), stored.hash);
        return { valid, needsRehash: valid && bcryptCost(stored.hash) !== this.cost };
      }
      case 'BCRYPT': {
        const valid = await this.pool.compare(password, stored.hash);
        return { valid, needsRehash: valid };
      }
      case 'SHA256': {
        // Unsalted legacy digests: still compared on a worker-sized budget by also running the dummy hash.
        const expected = Buffer.from(stored.hash.toLowerCase(), 'hex');
        const actual = createHash('sha256').update(password, 'utf8').digest();
        await this.verifyDummy(password);
        const valid = expected.length === actual.length && timingSafeEqual(expected, actual);
        return { valid, needsRehash: valid };
      }
    }
  }

  /** Spends the same time as a real check, for unknown accounts (no user enumeration by timing). */
  async verifyDummy(password: string): Promise<void> {
    this.dummy ??= this.pool.hash(randomBytes(16).toString('base64'), this.cost);
    await this.pool.compare(prehash(password), await this.dummy);
  }
}

function bcryptCost(hash: string): number {
  const match = /^\$2[aby]\$(\d{2})\$/.exec(hash);
  return match ? Number(match[1]) : -1;
}

import { readdirSync, readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { BcryptPool, HASHING_NICENESS, PasswordHasher } from '../../src/modules/identity/password.hasher.js';

const pool = new BcryptPool(2);
afterAll(() => pool.close());

/** The nice value of every thread of this process (Linux), from /proc. */
function threadNiceness(): number[] {
  return readdirSync('/proc/self/task').map((thread) => {
    const fields = readFileSync(`/proc/self/task/${thread}/stat`, 'utf8').split(') ')[1].split(' ');
    return Number(fields[16]); // field 19 of stat(5), counted after the command name
  });
}

describe('PasswordHasher', () => {
  it('hashes with bcrypt_sha256 in the worker pool and verifies only the same password', async () => {
    const hasher = new PasswordHasher(pool, 4);
    const long = 'चाय और दूध '.repeat(12); // far beyond bcrypt's 72 bytes: nothing may be cut off
    const stored = await hasher.hash(long);
    expect(stored.scheme).toBe('BCRYPT_SHA256');
    expect(stored.hash).toMatch(/^\$2[aby]\$04\$/);
    expect(await hasher.verify(long, stored)).toEqual({ valid: true, needsRehash: false });
    expect((await hasher.verify(`${long.slice(0, -1)}!`, stored)).valid).toBe(false);
  });

  it.runIf(process.platform === 'linux')('runs the hashing threads below the event loop’s priority', async () => {
    await pool.ready; // every worker has set its priority: a thread still starting would read 0
    const niceness = threadNiceness();
    expect(niceness.filter((nice) => nice === HASHING_NICENESS)).toHaveLength(2);
    expect(Math.min(...niceness)).toBe(0); // the main thread keeps its own
  });
});

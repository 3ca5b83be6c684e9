// The server and command-line tools as separate processes: configuration errors, the production key
// check, embedded data surviving a restart, graceful SIGTERM and the first admin from the command line.
import { mkdtemp } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServerDatabase, testDatabaseTarget } from '../support/database.js';
import { runScript, startServerProcess } from '../support/process.js';
import { totpCode } from '../support/second-factor.js';

const SECRET = 'process-test-secret-at-least-32-bytes-long';
let environment: Record<string, string>;
let dropDatabase: (() => Promise<void>) | undefined;

beforeAll(async () => {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'bff-process-'));
  environment = { DATA_DIR: dataDir, JWT_SECRET: SECRET, LOG_LEVEL: 'info', BCRYPT_COST: '10', SWEEP_SCHEDULE: 'off' };
  if (testDatabaseTarget() === 'postgres') {
    const database = await createServerDatabase('bff_process');
    environment.DATABASE_URL = database.url;
    dropDatabase = () => database.drop();
  }
});
afterAll(async () => dropDatabase?.());

async function graphql(url: string, query: string, variables: Record<string, unknown> = {}, token?: string) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as { data?: any; errors?: { extensions?: { code?: string } }[] };
}

describe('configuration', () => {
  it('names every bad variable and exits with code 2', async () => {
    const result = await runScript('src/main.ts', [], { PORT: 'eighty', BCRYPT_COST: '3', MESSAGE_CHANNEL: 'pigeon', DATABASE_URL: 'mysql://x' });
    expect(result.code).toBe(2);
    for (const name of ['PORT', 'BCRYPT_COST', 'MESSAGE_CHANNEL', 'DATABASE_URL']) expect(result.stderr).toContain(name);
  });

  it('refuses to start in production without a strong key', async () => {
    const missing = await runScript('src/main.ts', [], { NODE_ENV: 'production' });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/JWT_SECRET: is required in production/);
    const short = await runScript('src/main.ts', [], { NODE_ENV: 'production', JWT_SECRET: 'too-short' });
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/JWT_SECRET: must be at least 32 bytes/);
  });
});

describe('running the server', () => {
  it('creates the first admin from the command line, keeps data across a restart and stops cleanly on SIGTERM', { timeout: 240_000 }, async () => {
    const email = 'first.admin@dairy.example';
    const password = 'first admin passphrase 2026';
    const bad = await runScript('scripts/user-create.ts', ['--role', 'ADMIN', '--email', email, '--password', 'short'], environment);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--password');
    const created = await runScript(
      'scripts/user-create.ts',
      ['--role', 'ADMIN', '--email', email, '--password', password, '--name', 'First Admin'],
      environment,
    );
    expect(created.stderr).toBe('');
    expect(created.code).toBe(0);
    expect(created.stdout).toMatch(/created ADMIN user/);

    const first = await startServerProcess(environment);
    const health = await fetch(first.url.replace('/graphql', '/healthz'));
    expect(health.status).toBe(200);
    const login = await graphql(
      first.url,
      `
        mutation ($i: String!, $p: String!) {
          login(identifier: $i, password: $p) {
            accessToken
          }
        }
      `,
      { i: email, p: password },
    );
    expect(login.errors).toBeUndefined();
    // ADMIN needs a second factor by default: the first admin's session can only enrol one, then does the rest.
    const token = login.data.login.accessToken;
    const createStaff = `mutation { createStaffUser(input: { name: "Marketing One", roles: [MARKETING_STAFF], email: "m1@dairy.example", password: "marketing one passphrase" }) { id } }`;
    expect((await graphql(first.url, createStaff, {}, token)).errors?.[0]?.extensions?.code).toBe('SECOND_FACTOR_ENROLMENT_REQUIRED');
    const begun = await graphql(
      first.url,
      `
        mutation {
          beginTotpEnrolment {
            secret
          }
        }
      `,
      {},
      token,
    );
    const confirmed = await graphql(
      first.url,
      `
        mutation ($code: String!) {
          confirmTotpEnrolment(code: $code) {
            recoveryCodes
          }
        }
      `,
      { code: totpCode(begun.data.beginTotpEnrolment.secret, new Date()) },
      token,
    );
    expect(confirmed.data.confirmTotpEnrolment.recoveryCodes).toHaveLength(10);
    const staff = await graphql(first.url, createStaff, {}, token);
    expect(staff.errors).toBeUndefined();
    const stopped = await first.stop('SIGTERM');
    expect(stopped.code).toBe(0);
    expect(stopped.stdout).toContain('"msg":"stopped"');
    expect(stopped.stdout).not.toContain(password);

    const second = await startServerProcess(environment);
    try {
      const again = await graphql(
        second.url,
        `
          mutation {
            login(identifier: "m1@dairy.example", password: "marketing one passphrase") {
              user {
                name
                roles
              }
            }
          }
        `,
      );
      expect(again.data.login.user).toEqual({ name: 'Marketing One', roles: ['MARKETING_STAFF'] });
      const ready = await fetch(second.url.replace('/graphql', '/readyz'));
      expect(await ready.json()).toMatchObject({ ready: true });
    } finally {
      expect((await second.stop()).code).toBe(0);
    }
  });
});

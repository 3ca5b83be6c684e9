// Attacks on the throttle and the lockout of SPEC §2, through the real HTTP server, with the counters in
// PostgreSQL and in Redis: a registration flood from one address, a lockout that told whether an email and
// a phone are one account, bursts across the edge of a fixed window, and a client-written X-Forwarded-For.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ConfigError, parseConfig } from '../../src/config/env.js';
import { BcryptPool } from '../../src/modules/identity/password.hasher.js';
import { createSignedInUser, STRONG_PASSWORD, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { fromNewIp, LOGIN, REGISTER, REQUEST_RESET } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { codeOf } from './http.helpers.js';

const MINUTE = 60 * 1000;

const stores = [
  ['PostgreSQL', {}],
  ['Redis', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:` }],
] as const;

describe.each(stores)('with the counters in %s', (_store, overrides) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ TRUST_PROXY: 'true', ...overrides });
  });
  afterAll(async () => server?.close());

  async function register(contact: { email?: string; phone?: string }, client = fromNewIp()) {
    return server.gql(REGISTER, { input: { name: 'Throttle Test', password: STRONG_PASSWORD, ...contact } }, client);
  }
  async function registered(contact: { email?: string; phone?: string }) {
    const response = await register(contact);
    if (!response.data) throw new Error(JSON.stringify(response.errors));
    return { ...contact, userId: response.data.register.user.id as string };
  }
  const login = (identifier: string, password: string, client = fromNewIp()) => server.gql(LOGIN, { identifier, password }, client);
  const resetRequest = (client: { headers: Record<string, string> }) => server.gql(REQUEST_RESET, { identifier: uniqueEmail('nobody') }, client);

  describe('registration', () => {
    it('counts in the per-address throttle: the 31st attempt in 10 minutes is refused, CONFLICT or not', async () => {
      const taken = uniqueEmail('taken');
      await registered({ email: taken });
      const client = fromNewIp();
      const answers: string[] = [];
      for (let attempt = 0; attempt < 30; attempt += 1) {
        answers.push(codeOf(await register({ email: attempt % 3 === 0 ? taken : uniqueEmail('flood') }, client)));
      }
      expect(answers.filter((code) => code === 'OK')).toHaveLength(20);
      expect(answers.filter((code) => code === 'CONFLICT')).toHaveLength(10);
      // The next one says nothing about whether the email is registered.
      const refused = await register({ email: taken }, client);
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 600 });
      expect(codeOf(await register({ email: uniqueEmail('flood') }, client))).toBe('RATE_LIMITED');
      // Registrations and sign-ins share the address's 30.
      expect(codeOf(await login(taken, STRONG_PASSWORD, client))).toBe('RATE_LIMITED');
      expect(codeOf(await login(taken, STRONG_PASSWORD))).toBe('OK');
    });
  });

  describe('the lockout', () => {
    it('answers an email and a phone alike whether or not they belong to one account', async () => {
      const joint = await registered({ email: uniqueEmail('joint'), phone: uniquePhone() });
      const loneEmail = await registered({ email: uniqueEmail('lone') });
      const lonePhone = await registered({ phone: uniquePhone() });
      const pairs = [
        [joint.email!, loneEmail.email!],
        [joint.phone!, lonePhone.phone!],
      ];
      // 5 failures on each identifier lock the joint account (10 in all) and neither lone one: from here on
      // every answer on a joint identifier must equal the answer on its lone twin.
      for (let attempt = 0; attempt < 11; attempt += 1) {
        for (const [jointIdentifier, loneIdentifier] of pairs) {
          const jointAnswer = await login(jointIdentifier, `wrong guess ${attempt} here`);
          const loneAnswer = await login(loneIdentifier, `wrong guess ${attempt} here`);
          expect([codeOf(jointAnswer), jointAnswer.errors?.[0].extensions?.retryAfterSeconds], `attempt ${attempt + 1}`).toEqual([
            codeOf(loneAnswer),
            loneAnswer.errors?.[0].extensions?.retryAfterSeconds,
          ]);
          expect(codeOf(jointAnswer)).toBe(attempt < 10 ? 'INVALID_CREDENTIALS' : 'RATE_LIMITED');
        }
      }
      const locked = await login(joint.email!, STRONG_PASSWORD);
      expect(locked.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 900 });
    });

    it('compares at most 10 guesses of a burst sent at once through the email and the phone', async () => {
      const account = await registered({ email: uniqueEmail('burst'), phone: uniquePhone() });
      const digits = account.phone!.slice(3);
      const forms = [account.email!, account.email!.toUpperCase(), account.phone!, `0${digits}`];
      const hasher = (server.app.services as any).auth.deps.hasher;
      const verify = vi.spyOn(hasher, 'verify');
      try {
        const burst = await Promise.all(Array.from({ length: 40 }, (_, index) => login(forms[index % forms.length], `burst guess ${index}`)));
        expect(verify).toHaveBeenCalledTimes(10);
        // Each identifier answers by its own count: 10 failures each, then locked.
        expect(burst.filter((answer) => codeOf(answer) === 'INVALID_CREDENTIALS')).toHaveLength(20);
        expect(burst.filter((answer) => codeOf(answer) === 'RATE_LIMITED')).toHaveLength(20);
      } finally {
        verify.mockRestore();
      }
      expect(codeOf(await login(account.email!, STRONG_PASSWORD))).toBe('RATE_LIMITED');
      server.clock.advance(15 * MINUTE + 1000);
      expect(codeOf(await login(`0${digits}`, STRONG_PASSWORD))).toBe('OK');
    });

    it('refuses the right password on the other identifier while the account is locked, until an admin unlocks', async () => {
      const admin = await createSignedInUser(server, ['ADMIN']);
      const account = await registered({ email: uniqueEmail('other'), phone: uniquePhone() });
      for (let attempt = 0; attempt < 10; attempt += 1) {
        expect(codeOf(await login(account.phone!, `phone guess ${attempt} wrong`))).toBe('INVALID_CREDENTIALS');
      }
      // Not RATE_LIMITED: the email has no failures of its own, and its answer may not depend on the phone's.
      expect(codeOf(await login(account.email!, STRONG_PASSWORD))).toBe('INVALID_CREDENTIALS');
      expect(codeOf(await login(account.phone!, STRONG_PASSWORD))).toBe('RATE_LIMITED');
      const status = await server.gql(
        `query($identifier: String!) { lookupUser(identifier: $identifier) { status } }`,
        { identifier: account.email },
        { token: admin.token },
      );
      expect(status.data.lookupUser.status).toBe('LOCKED');
      const unlock = await server.gql(`mutation($userId: ID!) { unlockUser(userId: $userId) { status } }`, { userId: account.userId }, { token: admin.token });
      expect(unlock.data.unlockUser.status).toBe('ACTIVE');
      expect(codeOf(await login(account.phone!, STRONG_PASSWORD))).toBe('OK');
      expect(codeOf(await login(account.email!, STRONG_PASSWORD))).toBe('OK');
    });
  });

  describe('the per-address throttle', () => {
    it('admits no more than 30 attempts in any 10 minutes, across the edge of a fixed window', async () => {
      const client = fromNewIp();
      expect(codeOf(await resetRequest(client))).toBe('OK');
      server.clock.advance(9 * MINUTE + 59_000);
      for (let attempt = 0; attempt < 29; attempt += 1) expect(codeOf(await resetRequest(client))).toBe('OK');
      // 10 min 1 s after the first: a fixed window would start afresh and take 30 more within seconds.
      server.clock.advance(2_000);
      expect(codeOf(await resetRequest(client))).toBe('OK');
      const refused = await resetRequest(client);
      // The 29 attempts of 9 min 59 s leave the window in 9 min 58 s.
      expect(refused.errors?.[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 598 });
      server.clock.advance(597_000);
      expect(codeOf(await resetRequest(client))).toBe('RATE_LIMITED');
      server.clock.advance(1_000);
      for (let attempt = 0; attempt < 29; attempt += 1) expect(codeOf(await resetRequest(client))).toBe('OK');
      expect(codeOf(await resetRequest(client))).toBe('RATE_LIMITED');
    });

    it('counts the address the proxy appended to X-Forwarded-For, not the left-most one the client wrote', async () => {
      const address = fromNewIp().headers['x-forwarded-for'];
      const spoofed = () => ({ headers: { 'x-forwarded-for': `${fromNewIp().headers['x-forwarded-for']}, ${address}` } });
      for (let attempt = 0; attempt < 30; attempt += 1) expect(codeOf(await resetRequest(spoofed()))).toBe('OK');
      expect(codeOf(await resetRequest(spoofed()))).toBe('RATE_LIMITED');
      expect(codeOf(await resetRequest({ headers: { 'x-forwarded-for': address } }))).toBe('RATE_LIMITED');
      expect(codeOf(await resetRequest(fromNewIp()))).toBe('OK');
    });
  });
});

describe('TRUST_PROXY', () => {
  it('takes the client address that many proxies from the right, or the socket address when false', async () => {
    for (const [setting, clientAt] of [
      ['2', 1],
      ['false', -1],
    ] as const) {
      const server = await startTestServer({ TRUST_PROXY: setting });
      try {
        const client = fromNewIp().headers['x-forwarded-for'];
        const firstProxy = fromNewIp().headers['x-forwarded-for'];
        // The client writes the first entry; the first proxy appends the client, the second the first proxy.
        const through = () => ({ headers: { 'x-forwarded-for': `${fromNewIp().headers['x-forwarded-for']}, ${client}, ${firstProxy}` } });
        for (let attempt = 0; attempt < 30; attempt += 1) {
          expect(codeOf(await server.gql(REQUEST_RESET, { identifier: uniqueEmail('nobody') }, through()))).toBe('OK');
        }
        expect(codeOf(await server.gql(REQUEST_RESET, { identifier: uniqueEmail('nobody') }, through())), setting).toBe('RATE_LIMITED');
        // Another client behind the same proxies is counted apart; without trusted proxies, it is the same socket.
        const other = { headers: { 'x-forwarded-for': `${fromNewIp().headers['x-forwarded-for']}, ${firstProxy}` } };
        expect(codeOf(await server.gql(REQUEST_RESET, { identifier: uniqueEmail('nobody') }, other)), setting).toBe(clientAt === 1 ? 'OK' : 'RATE_LIMITED');
      } finally {
        await server.close();
      }
    }
  });

  it('reads true as one proxy, a number as that many, and names anything else', () => {
    const base = { NODE_ENV: 'test' };
    expect(parseConfig({ ...base, TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(1);
    expect(parseConfig({ ...base, TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(0);
    expect(parseConfig({ ...base, TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(parseConfig(base).TRUST_PROXY).toBe(0);
    for (const bad of ['many', '-1', '11', '1.5']) {
      const parse = () => parseConfig({ ...base, TRUST_PROXY: bad });
      expect(parse, bad).toThrow(ConfigError);
      expect(parse, bad).toThrow('TRUST_PROXY: must be false, true (one proxy) or the number of proxies in front of the server, 0 to 10');
    }
  });
});

describe('password hashing under a registration burst', () => {
  it('runs a sign-in comparison before queued new hashes, and keeps a worker free for it', async () => {
    const pool = new BcryptPool(2);
    try {
      const stored = await pool.hash('the password', 4);
      // Both workers load bcrypt before the race: on a loaded machine a worker's first start-up can take
      // longer than a cost-10 hash, and the order below is about scheduling, not start-up.
      await Promise.all([pool.hash('warm-up', 4), pool.compare('the password', stored)]);
      const finished: string[] = [];
      const track = (label: string, work: Promise<unknown>) => work.then(() => finished.push(label));
      // Three registrations' hashes arrive first; with both workers hashing, the login would wait for one.
      const work = [1, 2, 3].map((index) => track(`hash ${index}`, pool.hash(`new password ${index}`, 10)));
      work.push(track('compare', pool.compare('the password', stored)));
      await Promise.all(work);
      expect(finished).toEqual(['compare', 'hash 1', 'hash 2', 'hash 3']);
    } finally {
      await pool.close();
    }
  });

  it('with one worker, runs the comparison next', async () => {
    const pool = new BcryptPool(1);
    try {
      const stored = await pool.hash('the password', 4);
      const finished: string[] = [];
      const track = (label: string, work: Promise<unknown>) => work.then(() => finished.push(label));
      const work = [1, 2, 3].map((index) => track(`hash ${index}`, pool.hash(`new password ${index}`, 8)));
      work.push(track('compare', pool.compare('the password', stored)));
      await Promise.all(work);
      expect(finished).toEqual(['hash 1', 'compare', 'hash 2', 'hash 3']);
    } finally {
      await pool.close();
    }
  });
});

import { randomBytes, randomInt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedWindow } from '../../src/modules/identity/index.js';
import { fromNewIp, REQUEST_OTP, VERIFY_OTP } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

const PREFIX_LIMIT = 3;
const PREFIX_WINDOW_SECONDS = 3600;
const DAILY_LIMIT = 8;

/** Seven digits no other test uses: a number prefix of our own. */
const newPrefix = () => `9${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
let suffix = 0;
const phoneIn = (prefix: string) => `+91${prefix}${String((suffix += 1) % 1000).padStart(3, '0')}`;

const stores: [string, Record<string, string>][] = [
  ['PostgreSQL counters', {}],
  ['Redis counters', { REDIS_URL: 'redis://127.0.0.1:6379', REDIS_KEY_PREFIX: `test:${randomBytes(6).toString('hex')}:` }],
];

describe.each(stores)('the OTP pumping guard on %s', (_name, overrides) => {
  let server: TestServer;
  const logLines: string[] = [];
  /** Codes the guard has let through so far (each spends from the day's budget). */
  let admitted = 0;

  beforeAll(async () => {
    server = await startTestServer(
      {
        ...overrides,
        TRUST_PROXY: 'true',
        LOG_LEVEL: 'warn',
        OTP_PREFIX_LIMIT: String(PREFIX_LIMIT),
        OTP_PREFIX_WINDOW_SECONDS: String(PREFIX_WINDOW_SECONDS),
        OTP_DAILY_LIMIT: String(DAILY_LIMIT),
      },
      undefined,
      { logDestination: { write: (line: string) => void logLines.push(line) } },
    );
  });
  afterAll(async () => server?.close());

  const request = (phone: string) => server.gql(REQUEST_OTP, { phone }, fromNewIp());
  const codeOf = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code ?? 'OK';
  const metric = async (series: string) => {
    const text = await (await fetch(new URL('/metrics', server.url))).text();
    const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
    return line === undefined ? undefined : Number(line.slice(series.length + 1));
  };

  it('refuses the fourth number of one prefix in a window exactly as a per-phone limit does, and logs the prefix only', async () => {
    const prefix = newPrefix();
    const [first, second, third, fourth] = [phoneIn(prefix), phoneIn(prefix), phoneIn(prefix), phoneIn(prefix)];
    expect(codeOf(await request(first))).toBe('OK');
    // Refused by the phone's own resend limit: spends nothing from the prefix's budget.
    const perPhone = await request(first);
    expect(codeOf(perPhone)).toBe('RATE_LIMITED');
    expect(codeOf(await request(second))).toBe('OK');
    expect(codeOf(await request(third))).toBe('OK');
    admitted += 3;
    const refused = await request(fourth);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    expect(refused.data).toEqual(perPhone.data);
    expect(refused.errors![0].message).toBe(perPhone.errors![0].message);
    expect(Object.keys(refused.errors![0].extensions!).sort()).toEqual(Object.keys(perPhone.errors![0].extensions!).sort());
    const window = fixedWindow(server.clock.now(), PREFIX_WINDOW_SECONDS * 1000);
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBe(Math.ceil((window.end.getTime() - server.clock.now().getTime()) / 1000));
    expect(await server.database.prisma.otpChallenge.count({ where: { phone: fourth } })).toBe(0);
    expect(await server.database.prisma.outboxMessage.count({ where: { to: fourth } })).toBe(0);

    // Another prefix is not affected.
    expect(codeOf(await request(phoneIn(newPrefix())))).toBe('OK');
    admitted += 1;

    const refusals = logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'OTP request refused by the pumping guard');
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({ guard: 'prefix', prefix });
    expect(logLines.join('\n')).not.toContain(fourth.slice(3));
    expect(await metric('bff_otp_guard_refusals_total{guard="prefix"}')).toBe(1);

    // The next window opens the prefix again.
    server.clock.set(window.end);
    expect(codeOf(await request(fourth))).toBe('OK');
    admitted += 1;
  });

  it('stops every OTP once the day’s budget is spent, until the next IST day', async () => {
    while (admitted < DAILY_LIMIT) {
      expect(codeOf(await request(phoneIn(newPrefix())))).toBe('OK');
      admitted += 1;
    }
    const phone = phoneIn(newPrefix());
    const refused = await request(phone);
    expect(codeOf(refused)).toBe('RATE_LIMITED');
    // Capped at an hour, like the per-phone limits: the answer does not tell which limit was met.
    expect(refused.errors![0].extensions!.retryAfterSeconds).toBe(3600);
    expect(await metric('bff_otp_guard_refusals_total{guard="daily"}')).toBe(1);
    const refusals = logLines.map((line) => JSON.parse(line)).filter((line) => line.msg === 'OTP request refused by the pumping guard');
    expect(refusals.map((line) => line.guard)).toEqual(['prefix', 'daily']);
    expect(refusals[1].prefix).toBeUndefined();

    const day = fixedWindow(server.clock.now(), 24 * 60 * 60 * 1000, (5 * 60 + 30) * 60 * 1000);
    expect(new Date(day.end.getTime() + 5.5 * 60 * 60 * 1000).toISOString().slice(11, 19)).toBe('00:00:00');
    server.clock.set(day.end);
    expect(codeOf(await request(phone))).toBe('OK');
  });

  it('/metrics shows the share of the codes of the measured hour that were used to sign in', async () => {
    const phones = [phoneIn(newPrefix()), phoneIn(newPrefix()), phoneIn(newPrefix())];
    for (const phone of phones) expect(codeOf(await request(phone))).toBe('OK');
    for (const phone of phones.slice(0, 2)) {
      const message = await server.database.prisma.outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' } });
      const verified = await server.gql(VERIFY_OTP, { phone, code: (message.variables as { code: string }).code }, fromNewIp());
      expect(verified.errors).toBeUndefined();
    }
    // Measured once every code of the hour is used or expired: the hour ending 5 minutes ago.
    server.clock.advance(6 * 60 * 1000);
    const to = new Date(server.clock.now().getTime() - 5 * 60 * 1000);
    const issued = await server.database.prisma.otpChallenge.count({ where: { createdAt: { gte: new Date(to.getTime() - 60 * 60 * 1000), lt: to } } });
    expect(issued).toBe(4); // the first code of the new day, and these three
    expect(await metric('bff_otp_codes{outcome="issued"}')).toBe(4);
    expect(await metric('bff_otp_codes{outcome="verified"}')).toBe(2);
    expect(await metric('bff_otp_verified_share')).toBe(0.5);
  });
});

// Messages as the gateway and the customer see them (docs/messages.md): DLT fields in the payload, the
// OTP text with its app hash and WebOTP line, one-time-code messages that expire unsent, marketing consent
// and the promotional window — through the real server, its dispatcher and a local gateway.
import 'reflect-metadata';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEMPLATES_FILE, enqueueMessage } from '../../src/modules/messages/index.js';
import { createSignedInUser, uniqueEmail, uniquePhone } from '../support/testkit/index.js';
import { REQUEST_OTP, REQUEST_RESET, VERIFY_OTP } from '../support/operations.js';
import { runScript } from '../support/process.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { WebhookGateway } from '../support/webhook-gateway.js';

const DOMAIN = 'app.dairy.example';
const APP_HASH = 'FA+9qCX9VSu';
const OTP_REGISTRATION = `{#numeric#} is your sign-in code. It expires in 5 minutes. Do not share it with anyone.\n${APP_HASH}\n\n@${DOMAIN} #{#numeric#}`;

const gateway = new WebhookGateway();
let server: TestServer;
let templatesFile: string;

beforeAll(async () => {
  const url = await gateway.start();
  // The operator's own file: the defaults with the OTP registered as sent with the app hash and WebOTP line.
  const file = JSON.parse(await readFile(DEFAULT_TEMPLATES_FILE, 'utf8'));
  file.templates.OTP.sms.dlt.registeredText = OTP_REGISTRATION;
  templatesFile = path.join(await mkdtemp(path.join(os.tmpdir(), 'templates-')), 'message-templates.json');
  await writeFile(templatesFile, JSON.stringify(file));
  server = await startTestServer({
    MESSAGE_CHANNEL: 'webhook',
    MESSAGE_WEBHOOK_URL: url,
    MESSAGE_TEMPLATES_FILE: templatesFile,
    OTP_WEBOTP_DOMAIN: DOMAIN,
    OTP_APP_HASH: APP_HASH,
  });
});
afterAll(async () => {
  await server?.close();
  await gateway.close();
});

const prisma = () => server.database.prisma;
const dispatcher = () => server.app.services.messageDispatcher;
const errorCode = (response: { errors?: { extensions?: Record<string, any> }[] }) => response.errors?.[0]?.extensions?.code ?? 'OK';

/** Sends whatever earlier tests left queued (a welcome message), so each test counts only its own. */
async function drainQueue() {
  while ((await dispatcher().dispatchDue()).claimed > 0);
}

async function queuedOtp(phone: string) {
  return prisma().outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' }, orderBy: { createdAt: 'desc' } });
}

describe('one-time codes', () => {
  it('an OTP SMS carries its DLT registration, the app hash, and ends with the WebOTP line, in 140 bytes', async () => {
    server.clock.set('2026-06-15T06:30:00Z');
    const phone = uniquePhone();
    expect(errorCode(await server.gql(REQUEST_OTP, { phone }))).toBe('OK');
    const queued = await queuedOtp(phone);
    const code = (queued.variables as { code: string }).code;
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    const [sent] = gateway.bodiesFor(queued.id);
    expect(sent).toMatchObject({
      channel: 'SMS',
      template: 'OTP',
      category: 'transactional',
      dlt: { entityId: '1101000000000000001', header: 'DAIRYM', templateId: '1107000000000000006' },
      text: `${code} is your sign-in code. It expires in 5 minutes. Do not share it with anyone.\n${APP_HASH}\n\n@${DOMAIN} #${code}`,
    });
    expect(sent.text.split('\n').at(-1)).toBe(`@${DOMAIN} #${code}`);
    expect(Buffer.byteLength(sent.text)).toBe(122);
    const session = await server.gql(VERIFY_OTP, { phone, code });
    expect(session.data.verifyOtp.user.roles).toEqual(['CUSTOMER']);
  });

  it('is never sent after its code expires: EXPIRED, scrubbed, and the sign-in answers as for any expired code', async () => {
    server.clock.set('2026-06-15T06:40:00Z');
    await drainQueue();
    const phone = uniquePhone();
    await server.gql(REQUEST_OTP, { phone });
    const queued = await queuedOtp(phone);
    const code = (queued.variables as { code: string }).code;
    expect(queued.expiresAt).toEqual(new Date('2026-06-15T06:45:00Z'));
    // The gateway was down for the whole five minutes.
    server.clock.advance(5 * 60 * 1000);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 0, expired: 1 });
    expect(gateway.bodiesFor(queued.id)).toHaveLength(0);
    const stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored).toMatchObject({ status: 'EXPIRED', variables: {}, lastError: 'expired: the code expired before it was sent', sentAt: null });
    expect(stored.text).not.toContain(code);
    expect(errorCode(await server.gql(VERIFY_OTP, { phone, code }))).toBe('INVALID_CREDENTIALS');
    // A new code is requested and sent as usual.
    expect(errorCode(await server.gql(REQUEST_OTP, { phone }))).toBe('OK');
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
  });

  it('a failed send whose next try would come after the code expires is EXPIRED at once', async () => {
    server.clock.set('2026-06-15T07:00:00Z');
    await drainQueue();
    const phone = uniquePhone();
    await server.gql(REQUEST_OTP, { phone });
    const queued = await queuedOtp(phone);
    server.clock.advance(5 * 60 * 1000 - 2_000);
    gateway.answers.push(503);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, retried: 0, expired: 1 });
    expect(gateway.bodiesFor(queued.id)).toHaveLength(1);
    const stored = await prisma().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(stored).toMatchObject({
      status: 'EXPIRED',
      attempts: 1,
      variables: {},
      lastError: 'expired: webhook answered HTTP 503; the code expires before the next try',
    });
  });

  it('a password-reset message expires with its token', async () => {
    server.clock.set('2026-06-15T07:10:00Z');
    const { email } = await createSignedInUser(server, ['CUSTOMER'], { email: uniqueEmail('reset') });
    expect(errorCode(await server.gql(REQUEST_RESET, { identifier: email }))).toBe('OK');
    const queued = await prisma().outboxMessage.findFirstOrThrow({ where: { to: email, template: 'PASSWORD_RESET' } });
    expect(queued.expiresAt).toEqual(new Date('2026-06-15T07:40:00Z'));
    server.clock.advance(30 * 60 * 1000);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, expired: 1 });
    expect(gateway.bodiesFor(queued.id)).toHaveLength(0);
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ status: 'EXPIRED', variables: {} });
  });
});

const ME_CONSENT = `query { me { customer { id marketingConsent marketingConsentAt } } }`;
const SET_CONSENT = `mutation($consent: Boolean!) { setMarketingConsent(consent: $consent) { id marketingConsent marketingConsentAt } }`;
const CUSTOMER_CONSENT = `query($id: ID!) { customer(id: $id) { id marketingConsent } }`;

async function queuePromotion(customer: { id: string; phone: string }, key: string) {
  await enqueueMessage(prisma(), {
    dedupeKey: `test-promotion:${key}`,
    to: customer.phone,
    channel: 'SMS',
    template: 'REENGAGEMENT',
    variables: { name: 'Asha' },
    customerId: customer.id,
    at: server.clock.now(),
  });
  return prisma().outboxMessage.findUniqueOrThrow({ where: { dedupeKey: `test-promotion:${key}` } });
}

async function signedInCustomer() {
  const phone = uniquePhone();
  const signedIn = await createSignedInUser(server, ['CUSTOMER'], { phone });
  const customer = await prisma().customer.findUniqueOrThrow({ where: { userId: signedIn.user.id } });
  return { ...signedIn, customer: { id: customer.id, phone } };
}

describe('marketing consent', () => {
  it('is off until the customer gives it; promotional messages until then are SUPPRESSED, after it sent', async () => {
    server.clock.set('2026-06-15T06:30:00Z'); // 12:00 IST
    const { token, customer } = await signedInCustomer();
    expect((await server.gql(ME_CONSENT, {}, { token })).data.me.customer).toEqual({ id: customer.id, marketingConsent: false, marketingConsentAt: null });

    const before = await queuePromotion(customer, `${customer.id}:1`);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 0, suppressed: 1 });
    expect(gateway.bodiesFor(before.id)).toHaveLength(0);
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: before.id } })).toMatchObject({
      status: 'SUPPRESSED',
      lastError: 'suppressed: no marketing consent',
    });

    const given = await server.gql(SET_CONSENT, { consent: true }, { token });
    expect(given.data.setMarketingConsent).toEqual({ id: customer.id, marketingConsent: true, marketingConsentAt: '2026-06-15T06:30:00.000Z' });
    // Saying yes again keeps the time it was first given.
    server.clock.advance(60_000);
    expect((await server.gql(SET_CONSENT, { consent: true }, { token })).data.setMarketingConsent.marketingConsentAt).toBe('2026-06-15T06:30:00.000Z');

    const after = await queuePromotion(customer, `${customer.id}:2`);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(gateway.bodiesFor(after.id)[0]).toMatchObject({ category: 'promotional', dlt: { header: '500123', templateId: '1107000000000000004' } });

    // Withdrawn consent holds for a message already queued.
    const queued = await queuePromotion(customer, `${customer.id}:3`);
    expect((await server.gql(SET_CONSENT, { consent: false }, { token })).data.setMarketingConsent).toMatchObject({
      marketingConsent: false,
      marketingConsentAt: '2026-06-15T06:31:00.000Z',
    });
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, suppressed: 1 });
    expect(gateway.bodiesFor(queued.id)).toHaveLength(0);
  });

  it('is read by the customer, admins and marketing staff, and set only by the customer', async () => {
    const { token, customer } = await signedInCustomer();
    await server.gql(SET_CONSENT, { consent: true }, { token });
    const marketing = await createSignedInUser(server, ['MARKETING_STAFF']);
    const admin = await createSignedInUser(server, ['ADMIN']);
    for (const staff of [marketing, admin]) {
      expect((await server.gql(CUSTOMER_CONSENT, { id: customer.id }, { token: staff.token })).data.customer).toEqual({
        id: customer.id,
        marketingConsent: true,
      });
    }
    // Another customer does not see the record at all.
    const other = await signedInCustomer();
    expect(await server.gql(CUSTOMER_CONSENT, { id: customer.id }, { token: other.token })).toMatchObject({ data: { customer: null } });
    // The customer's own delivery boy reads the customer, but not the consent: masked with FORBIDDEN.
    const deliveryBoy = await createSignedInUser(server, ['DELIVERY_BOY']);
    const boy = await prisma().deliveryBoy.findUniqueOrThrow({ where: { userId: deliveryBoy.user.id } });
    await prisma().customer.update({ where: { id: customer.id }, data: { deliveryBoyId: boy.id } });
    const masked = await server.gql(`query($id: ID!) { customer(id: $id) { id name marketingConsent } }`, { id: customer.id }, { token: deliveryBoy.token });
    expect(masked.data?.customer ?? null).toBeNull();
    expect(masked.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([['customer.marketingConsent', 'FORBIDDEN']]);
    expect((await server.gql(`query($id: ID!) { customer(id: $id) { id name } }`, { id: customer.id }, { token: deliveryBoy.token })).data.customer.id).toBe(
      customer.id,
    );
    // Staff cannot give consent on a customer's behalf: the mutation is the customer's own.
    expect(errorCode(await server.gql(SET_CONSENT, { consent: true }, { token: marketing.token }))).toBe('FORBIDDEN');
    expect(errorCode(await server.gql(SET_CONSENT, { consent: true }, { token: admin.token }))).toBe('FORBIDDEN');
    expect(errorCode(await server.gql(SET_CONSENT, { consent: true }))).toBe('UNAUTHENTICATED');
    expect(errorCode(await server.gql(`mutation { setMarketingConsent(consent: "yes") { id } }`, {}, { token }))).toBe('BAD_USER_INPUT');
  });
});

describe('the promotional window', () => {
  it('defers promotional messages outside 09:00–21:00 IST to the next 09:00 IST; an OTP goes at once', async () => {
    const { token, customer } = await signedInCustomer();
    await server.gql(SET_CONSENT, { consent: true }, { token });
    server.clock.set('2026-06-15T16:30:00Z'); // 22:00 IST
    const late = await queuePromotion(customer, `${customer.id}:late`);
    expect(late.nextAttemptAt).toEqual(new Date('2026-06-16T03:30:00Z'));
    const phone = uniquePhone();
    await server.gql(REQUEST_OTP, { phone });
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(gateway.bodiesFor((await queuedOtp(phone)).id)).toHaveLength(1);

    server.clock.set('2026-06-16T03:29:59Z');
    expect((await dispatcher().dispatchDue()).claimed).toBe(0);
    server.clock.set('2026-06-16T03:30:00Z');
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, sent: 1 });
    expect(gateway.bodiesFor(late.id)).toHaveLength(1);
  });

  it('a retry that falls after 21:00 IST is moved to the next 09:00 IST without counting a try', async () => {
    const { token, customer } = await signedInCustomer();
    await server.gql(SET_CONSENT, { consent: true }, { token });
    server.clock.set('2026-06-16T15:29:58Z'); // 20:59:58 IST
    const message = await queuePromotion(customer, `${customer.id}:edge`);
    gateway.answers.push(500);
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, retried: 1 });
    server.clock.advance(5_000); // 21:00:03 IST
    expect(await dispatcher().dispatchDue()).toMatchObject({ claimed: 1, deferred: 1 });
    expect(await prisma().outboxMessage.findUniqueOrThrow({ where: { id: message.id } })).toMatchObject({
      status: 'PENDING',
      attempts: 1,
      nextAttemptAt: new Date('2026-06-17T03:30:00Z'),
    });
    expect(gateway.bodiesFor(message.id)).toHaveLength(1);
  });
});

describe('start-up', () => {
  it('refuses a templates file with problems, naming each, and bad OTP settings, with exit code 2', { timeout: 240_000 }, async () => {
    const file = JSON.parse(await readFile(DEFAULT_TEMPLATES_FILE, 'utf8'));
    file.templates.WELCOME.sms.text = 'Welcome, {name}!';
    file.templates.REENGAGEMENT.sms.dlt.header = 'DAIRYM';
    delete file.templates.OTP;
    const bad = path.join(path.dirname(templatesFile), 'bad-templates.json');
    await writeFile(bad, JSON.stringify(file));
    const refused = await runScript('src/main.ts', [], { MESSAGE_TEMPLATES_FILE: bad, SWEEP_SCHEDULE: 'off' });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain(`invalid message templates (${bad})`);
    expect(refused.stderr).toContain('WELCOME.sms: the text does not match its DLT registration');
    expect(refused.stderr).toContain('REENGAGEMENT.sms.dlt.header: a promotional header is 6 digits');
    expect(refused.stderr).toContain('OTP: missing (this server sends it)');

    // The shipped OTP registration does not cover the WebOTP line: set the domain, register the text.
    const settings = await runScript('src/main.ts', [], { OTP_WEBOTP_DOMAIN: DOMAIN, SWEEP_SCHEDULE: 'off' });
    expect(settings.code).toBe(2);
    expect(settings.stderr).toContain('OTP.sms: the text (with OTP_APP_HASH/OTP_WEBOTP_DOMAIN as set) does not match its DLT registration');

    const invalid = await runScript('src/main.ts', [], { OTP_WEBOTP_DOMAIN: 'https://app.dairy.example/', OTP_APP_HASH: 'short' });
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toContain('OTP_WEBOTP_DOMAIN: must be a lower-case host name');
    expect(invalid.stderr).toContain('OTP_APP_HASH: must be the 11-character app hash');
  });
});

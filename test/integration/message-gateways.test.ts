import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueMessage, signReport } from '../../src/modules/messages/index.js';
import { createCustomer, createSignedInUser, uniquePhone } from '../support/testkit/index.js';
import { MessageProviders } from '../support/message-providers.js';
import { startTestServer, type TestServer } from '../support/server.js';

const WEBHOOK_SECRET = 'Qm9vdHMgYW5kIGNhdHMgYW5kIGJvb3RzIGFuZCBjYXRz-x7Kp2Lr';
const APP_SECRET = '6f1d2c3b4a5e69788796a5b4c3d2e1f0';
const FALLBACK_SECONDS = 60;

const providers = new MessageProviders();
let server: TestServer;

beforeAll(async () => {
  const base = await providers.start();
  server = await startTestServer({
    MESSAGE_CHANNEL: 'gateways',
    MESSAGE_SEND_TIMEOUT_MS: '500',
    MESSAGE_MAX_ATTEMPTS: '3',
    MESSAGE_WHATSAPP_URL: `${base}/v21.0`,
    MESSAGE_WHATSAPP_PHONE_NUMBER_ID: '1098765432',
    MESSAGE_WHATSAPP_ACCESS_TOKEN: 'test-whatsapp-access-token',
    MESSAGE_WHATSAPP_APP_SECRET: APP_SECRET,
    MESSAGE_WHATSAPP_VERIFY_TOKEN: 'verify-me-please',
    MESSAGE_WHATSAPP_FALLBACK_SECONDS: String(FALLBACK_SECONDS),
    MESSAGE_SMS_PROVIDER: 'msg91',
    MESSAGE_SMS_URL: base,
    MESSAGE_MSG91_AUTH_KEY: 'test-msg91-auth-key',
    MESSAGE_MSG91_SENDER: 'DAIRYS',
    MESSAGE_EMAIL_URL: `${base}/email`,
    MESSAGE_WEBHOOK_SECRET: WEBHOOK_SECRET,
  });
});
afterAll(async () => {
  await server?.close();
  await providers.close();
});

const prisma = () => server.database.prisma;
const dispatch = () => server.app.services.messageDispatcher.dispatchDue();

/** A customer who opted in to WhatsApp, with one order confirmation queued for them. */
async function optedInOrder(options: { optIn?: boolean; template?: 'ORDER_CONFIRMATION' | 'WELCOME' | 'PASSWORD_RESET' } = {}) {
  const customer = await createCustomer(server);
  await prisma().customer.update({ where: { id: customer.id }, data: { whatsappOptIn: options.optIn ?? true } });
  // The welcome message of the fixture goes out first (a service message: SMS), out of the way.
  await dispatch();
  const template = options.template ?? 'ORDER_CONFIRMATION';
  const dedupeKey = `${template.toLowerCase()}:${customer.id}:test`;
  await enqueueMessage(prisma(), {
    dedupeKey,
    to: customer.phone!,
    channel: 'SMS',
    template,
    variables: template === 'PASSWORD_RESET' ? { token: 'reset-token-0123456789' } : { total: '₹120.00', deliveryDate: '16 June', name: customer.name },
    customerId: customer.id,
    at: server.clock.now(),
  });
  const message = await prisma().outboxMessage.findUniqueOrThrow({ where: { dedupeKey } });
  return { customer, phone: customer.phone!, message };
}

async function postReport(provider: string, body: unknown, options: { signature?: string | null; raw?: string } = {}) {
  const text = options.raw ?? JSON.stringify(body);
  const secret = provider === 'whatsapp' ? APP_SECRET : WEBHOOK_SECRET;
  const header = provider === 'whatsapp' ? 'x-hub-signature-256' : 'x-signature-256';
  const signature = options.signature === undefined ? signReport(text, secret) : options.signature;
  const response = await fetch(new URL(`/hooks/messages/${provider}`, server.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature === null ? {} : { [header]: signature }) },
    body: text,
  });
  return { status: response.status, body: (await response.json()) as any };
}

/** The Cloud API's status webhook for one wamid. */
function whatsappStatus(wamid: string, status: string, recipient: string) {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: '1098765432' },
              statuses: [
                {
                  id: wamid,
                  status,
                  timestamp: '1750263773',
                  recipient_id: recipient.replace(/^\+/, ''),
                  ...(status === 'failed'
                    ? { errors: [{ code: 131049, title: 'This message was not delivered to maintain healthy ecosystem engagement.' }] }
                    : {}),
                },
              ],
            },
          },
        ],
      },
    ],
  };
}

/** MSG91's v3 JSON delivery report. */
function msg91Report(requestId: string, phone: string, status: string, desc: string) {
  return {
    date: '2026-06-15 12:01:16',
    number: phone.replace(/^\+/, ''),
    senderId: 'DAIRYS',
    amount: '0.01',
    requestId,
    INMSID: '0',
    CRQID: '0',
    credit: '1',
    userId: '27XXXX',
    campaignName: 'API',
    status,
    desc,
  };
}

const stored = (id: string) => prisma().outboxMessage.findUniqueOrThrow({ where: { id } });
const tries = (messageId: string) =>
  prisma().messageAttempt.findMany({
    where: { messageId },
    orderBy: { createdAt: 'asc' },
    select: { channel: true, provider: true, status: true, providerMessageId: true, error: true },
  });

describe('WhatsApp first, SMS after', () => {
  it('sends a transactional message to an opted-in customer by WhatsApp in the Cloud API shape; DELIVERED ends it', async () => {
    const { customer, phone, message } = await optedInOrder();
    expect(await dispatch()).toMatchObject({ claimed: 1, sent: 1 });
    const [request] = providers.whatsappTo(phone);
    expect(providers.whatsappTo(phone)).toHaveLength(1);
    expect(request.path).toBe('/v21.0/1098765432/messages');
    expect(request.headers.authorization).toBe('Bearer test-whatsapp-access-token');
    expect(request.body).toEqual({
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: phone.slice(1),
      type: 'template',
      template: {
        name: 'order_confirmation',
        language: { code: 'en' },
        components: [
          {
            type: 'body',
            parameters: [
              { type: 'text', text: '₹120.00' },
              { type: 'text', text: customer.name },
              { type: 'text', text: '16 June' },
            ],
          },
        ],
      },
    });
    expect(await stored(message.id)).toMatchObject({ status: 'SENT', deliveryChannel: 'WHATSAPP', dedupeKey: message.dedupeKey });

    const delivered = whatsappStatus(request.answeredId!, 'delivered', phone);
    expect(await postReport('whatsapp', delivered)).toEqual({ status: 200, body: { received: 1, applied: 1, unchanged: 0, unknown: 0 } });
    expect(await stored(message.id)).toMatchObject({ status: 'DELIVERED', deliveredAt: server.clock.now(), fallbackAt: null });
    // The same report again, and a late `sent`: nothing changes.
    expect((await postReport('whatsapp', delivered)).body).toEqual({ received: 1, applied: 0, unchanged: 1, unknown: 0 });
    expect((await postReport('whatsapp', whatsappStatus(request.answeredId!, 'sent', phone))).body).toEqual({
      received: 1,
      applied: 0,
      unchanged: 1,
      unknown: 0,
    });
    // A failure reported after delivery is ignored.
    expect((await postReport('whatsapp', whatsappStatus(request.answeredId!, 'failed', phone))).body).toEqual({
      received: 1,
      applied: 0,
      unchanged: 1,
      unknown: 0,
    });

    // Past the fallback time: no SMS for a delivered message.
    server.clock.advance(FALLBACK_SECONDS * 1000 + 1);
    await dispatch();
    expect(providers.smsTo(phone)).toHaveLength(1); // the welcome message only
    expect(providers.smsTo(phone)[0].body.sms[0].message).toContain('Welcome');
    expect(await stored(message.id)).toMatchObject({ status: 'DELIVERED', deliveryChannel: 'WHATSAPP' });
    expect(await tries(message.id)).toEqual([
      { channel: 'WHATSAPP', provider: 'whatsapp', status: 'DELIVERED', providerMessageId: request.answeredId, error: null },
    ]);
  });

  it('falls back to SMS (MSG91 shape) when WhatsApp has not reported DELIVERED in time; a late DELIVERED sends nothing more', async () => {
    const { phone, message } = await optedInOrder();
    await dispatch();
    const [whatsapp] = providers.whatsappTo(phone);
    server.clock.advance(FALLBACK_SECONDS * 1000 - 1);
    expect((await dispatch()).overdue).toBe(0);
    expect(providers.smsTo(phone)).toHaveLength(1);
    server.clock.advance(1);
    expect(await dispatch()).toMatchObject({ overdue: 1, claimed: 1, sent: 1 });
    const sms = providers.smsTo(phone);
    expect(sms).toHaveLength(2);
    expect(sms[1].headers.authkey).toBe('test-msg91-auth-key');
    // The sender header and DLT template id are the catalogue's registration of ORDER_CONFIRMATION.
    expect(sms[1].body).toEqual({ sender: 'DAIRYM', route: '4', DLT_TE_ID: '1107000000000000002', sms: [{ message: message.text, to: [phone.slice(1)] }] });
    expect(await stored(message.id)).toMatchObject({ status: 'SENT', deliveryChannel: 'SMS', dedupeKey: message.dedupeKey, attempts: 1 });

    // WhatsApp's DELIVERED arrives after the SMS went: recorded on its try, and nothing is sent again.
    expect((await postReport('whatsapp', whatsappStatus(whatsapp.answeredId!, 'delivered', phone))).body).toMatchObject({ applied: 1 });
    server.clock.advance(24 * 60 * 60 * 1000);
    expect((await dispatch()).claimed).toBe(0);
    expect(providers.smsTo(phone)).toHaveLength(2);
    expect(providers.whatsappTo(phone)).toHaveLength(1);
    expect(await stored(message.id)).toMatchObject({ status: 'SENT', deliveryChannel: 'SMS' });

    // MSG91's report settles the SMS try and the message.
    const report = msg91Report(sms[1].answeredId!, phone, '1', 'DELIVERED');
    expect((await postReport('msg91', report)).body).toEqual({ received: 1, applied: 1, unchanged: 0, unknown: 0 });
    expect((await postReport('msg91', report)).body).toEqual({ received: 1, applied: 0, unchanged: 1, unknown: 0 });
    expect(await stored(message.id)).toMatchObject({ status: 'DELIVERED', deliveryChannel: 'SMS' });
    expect((await tries(message.id)).map((row) => [row.channel, row.status])).toEqual([
      ['WHATSAPP', 'DELIVERED'],
      ['SMS', 'DELIVERED'],
    ]);
  });

  it('goes on to SMS at once when WhatsApp refuses the message or hangs', async () => {
    const refused = await optedInOrder();
    providers.whatsappAnswers.push('error');
    expect(await dispatch()).toMatchObject({ claimed: 1, fellBack: 1 });
    expect(await stored(refused.message.id)).toMatchObject({
      status: 'PENDING',
      deliveryChannel: 'SMS',
      attempts: 0,
      lastError: 'whatsapp answered HTTP 400 (error 131026)',
    });
    expect(await dispatch()).toMatchObject({ claimed: 1, sent: 1 });
    expect(providers.smsTo(refused.phone)).toHaveLength(2);

    const hung = await optedInOrder();
    providers.whatsappAnswers.push('hang');
    expect(await dispatch()).toMatchObject({ claimed: 1, fellBack: 1 });
    expect((await stored(hung.message.id)).lastError).toBe('whatsapp unreachable: TimeoutError');
    await dispatch();
    expect(providers.smsTo(hung.phone)).toHaveLength(2);
    expect(await tries(hung.message.id)).toEqual([
      { channel: 'WHATSAPP', provider: 'whatsapp', status: 'FAILED', providerMessageId: null, error: 'whatsapp unreachable: TimeoutError' },
      { channel: 'SMS', provider: 'msg91', status: 'SENT', providerMessageId: providers.smsTo(hung.phone)[1].answeredId, error: null },
    ]);
  });

  it('a WhatsApp failure report sends the SMS; a DELIVERED that overtakes it before the SMS is claimed cancels the SMS', async () => {
    const first = await optedInOrder();
    await dispatch();
    const [whatsapp] = providers.whatsappTo(first.phone);
    expect((await postReport('whatsapp', whatsappStatus(whatsapp.answeredId!, 'failed', first.phone))).body).toMatchObject({ applied: 1 });
    expect(await stored(first.message.id)).toMatchObject({ status: 'PENDING', deliveryChannel: 'SMS' });
    await dispatch();
    expect(providers.smsTo(first.phone)).toHaveLength(2);
    expect((await tries(first.message.id))[0]).toMatchObject({ status: 'UNDELIVERED', error: 'whatsapp error 131049' });

    // Out of order: `failed` queues the SMS, then `delivered` (the phone has it after all) arrives first.
    const second = await optedInOrder();
    await dispatch();
    const [secondWhatsapp] = providers.whatsappTo(second.phone);
    await postReport('whatsapp', whatsappStatus(secondWhatsapp.answeredId!, 'failed', second.phone));
    await postReport('whatsapp', whatsappStatus(secondWhatsapp.answeredId!, 'delivered', second.phone));
    expect(await stored(second.message.id)).toMatchObject({ status: 'DELIVERED', deliveryChannel: 'WHATSAPP' });
    server.clock.advance(FALLBACK_SECONDS * 1000);
    await dispatch();
    expect(providers.smsTo(second.phone)).toHaveLength(1); // the welcome message only
  });

  it('keeps SMS for customers who did not opt in, for service messages and for messages holding a code', async () => {
    const notOptedIn = await optedInOrder({ optIn: false });
    const service = await optedInOrder({ template: 'WELCOME' });
    const reset = await optedInOrder({ template: 'PASSWORD_RESET' });
    await dispatch();
    for (const queued of [notOptedIn, service, reset]) {
      expect(providers.whatsappTo(queued.phone)).toHaveLength(0);
      expect(providers.smsTo(queued.phone)).toHaveLength(2);
    }
    expect(providers.smsTo(reset.phone)[1].body.sms[0].message).toContain('reset-token-0123456789');
    expect(await stored(reset.message.id)).toMatchObject({ status: 'SENT', deliveryChannel: 'SMS', variables: {} });
    expect(await stored(notOptedIn.message.id)).toMatchObject({ status: 'SENT', deliveryChannel: 'SMS', fallbackAt: null });
  });
});

describe('the WhatsApp opt-in', () => {
  const SET_OPT_IN = `mutation SetWhatsappOptIn($optIn: Boolean!) { setWhatsappOptIn(optIn: $optIn) { id whatsappOptIn } }`;

  it("is the customer's own choice, audit-logged, and routes their order messages by WhatsApp", async () => {
    const phone = uniquePhone();
    const { user, token } = await createSignedInUser(server, ['CUSTOMER'], { phone });
    const customer = await prisma().customer.findUniqueOrThrow({ where: { userId: user.id } });
    expect(customer.whatsappOptIn).toBe(false);
    const given = await server.gql(SET_OPT_IN, { optIn: true }, { token });
    expect(given.errors).toBeUndefined();
    expect(given.data.setWhatsappOptIn).toEqual({ id: customer.id, whatsappOptIn: true });
    expect(await prisma().auditLog.count({ where: { entityId: customer.id, action: 'customer.whatsapp-opt-in', actorUserId: user.id } })).toBe(1);

    await enqueueMessage(prisma(), {
      dedupeKey: `order:${customer.id}:opt-in`,
      to: phone,
      channel: 'SMS',
      template: 'ORDER_CONFIRMATION',
      variables: { total: '₹60.00', deliveryDate: '17 June' },
      customerId: customer.id,
      at: server.clock.now(),
    });
    await dispatch();
    expect(providers.whatsappTo(phone)).toHaveLength(1);

    const withdrawn = await server.gql(SET_OPT_IN, { optIn: false }, { token });
    expect(withdrawn.data.setWhatsappOptIn.whatsappOptIn).toBe(false);
    await enqueueMessage(prisma(), {
      dedupeKey: `order:${customer.id}:opt-out`,
      to: phone,
      channel: 'SMS',
      template: 'ORDER_CONFIRMATION',
      variables: { total: '₹60.00', deliveryDate: '18 June' },
      customerId: customer.id,
      at: server.clock.now(),
    });
    await dispatch();
    expect(providers.whatsappTo(phone)).toHaveLength(1);
    expect(providers.smsTo(phone)).toHaveLength(1);
  });

  it('cannot be set by staff for a customer, nor anonymously', async () => {
    const staff = await createSignedInUser(server, ['MARKETING_STAFF']);
    const refused = await server.gql(SET_OPT_IN, { optIn: true }, { token: staff.token });
    expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    const anonymous = await server.gql(SET_OPT_IN, { optIn: true });
    expect(anonymous.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

describe('SMS and email providers', () => {
  it('retries an SMS that MSG91 refuses, and records every try', async () => {
    const { customer } = { customer: await createCustomer(server) };
    providers.smsAnswers.push('error', 'refuse');
    expect(await dispatch()).toMatchObject({ claimed: 1, retried: 1 });
    server.clock.advance(5_000);
    expect(await dispatch()).toMatchObject({ claimed: 1, retried: 1 });
    server.clock.advance(10_000);
    expect(await dispatch()).toMatchObject({ claimed: 1, sent: 1 });
    const welcome = await prisma().outboxMessage.findFirstOrThrow({ where: { customerId: customer.id, template: 'WELCOME' } });
    expect((await tries(welcome.id)).map((row) => [row.status, row.error])).toEqual([
      ['FAILED', 'msg91 answered HTTP 500'],
      ['FAILED', 'msg91 refused the message'],
      ['SENT', null],
    ]);
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).welcomeMessageSent).toBe(true);
  });

  it('an MSG91 failure report marks the message UNDELIVERED; welcomeMessageSent stays as SPEC §7 defines it', async () => {
    const customer = await createCustomer(server);
    await dispatch();
    const [sms] = providers.smsTo(customer.phone!);
    expect((await postReport('msg91', [msg91Report(sms.answeredId!, customer.phone!, '17', 'Blocked number')])).body).toMatchObject({ applied: 1 });
    const welcome = await prisma().outboxMessage.findFirstOrThrow({ where: { customerId: customer.id, template: 'WELCOME' } });
    expect(welcome.status).toBe('UNDELIVERED');
    expect((await tries(welcome.id))[0]).toMatchObject({ status: 'UNDELIVERED', error: 'msg91 status 17' });
    expect((await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } })).welcomeMessageSent).toBe(true);
  });

  it('sends email through the generic webhook to customers without a phone; generic reports settle it', async () => {
    const customer = await createCustomer(server, { phone: null });
    await dispatch();
    const email = providers.email.filter((request) => request.body.to === customer.email);
    expect(email).toHaveLength(1);
    expect(email[0].headers['idempotency-key']).toBe(`welcome:${customer.id}`);
    expect(email[0].body).toMatchObject({ channel: 'EMAIL', template: 'WELCOME', dedupeKey: `welcome:${customer.id}` });
    const id = email[0].body.id;
    expect((await postReport('generic', { reports: [{ id, channel: 'EMAIL', status: 'DELIVERED' }] })).body).toMatchObject({ applied: 1 });
    expect((await postReport('generic', { reports: [{ id, channel: 'EMAIL', status: 'UNDELIVERED', error: 'bounce' }] })).body).toMatchObject({ unchanged: 1 });
    expect((await stored(id)).status).toBe('DELIVERED');
    expect(
      (await postReport('generic', { reports: [{ id: '0190a6e4-0000-7000-8000-000000000000', channel: 'EMAIL', status: 'DELIVERED' }] })).body,
    ).toMatchObject({ unknown: 1 });
  });
});

describe('the delivery report hook', () => {
  it('refuses forged and missing signatures with 401 and changes nothing', async () => {
    const { phone, message } = await optedInOrder();
    await dispatch();
    const [request] = providers.whatsappTo(phone);
    const report = whatsappStatus(request.answeredId!, 'delivered', phone);
    const forged = signReport(JSON.stringify(report), 'not-the-app-secret');
    expect(await postReport('whatsapp', report, { signature: forged })).toEqual({
      status: 401,
      body: { error: 'x-hub-signature-256: missing or wrong signature' },
    });
    expect((await postReport('whatsapp', report, { signature: null })).status).toBe(401);
    // Signed with the generic secret instead of the app secret.
    expect((await postReport('whatsapp', report, { signature: signReport(JSON.stringify(report), WEBHOOK_SECRET) })).status).toBe(401);
    // The body changed after signing.
    const signed = signReport(JSON.stringify(report), APP_SECRET);
    expect((await postReport('whatsapp', whatsappStatus(request.answeredId!, 'failed', phone), { signature: signed })).status).toBe(401);
    expect(
      (await postReport('generic', { reports: [{ id: message.id, channel: 'WHATSAPP', status: 'DELIVERED' }] }, { signature: 'sha256=' + '0'.repeat(64) }))
        .status,
    ).toBe(401);
    expect(await stored(message.id)).toMatchObject({ status: 'SENT', deliveryChannel: 'WHATSAPP' });
    expect((await tries(message.id))[0].status).toBe('SENT');
  });

  it('answers 400 naming the problem for a bad body, 404 for an unknown provider', async () => {
    expect(await postReport('generic', null, { raw: '{"reports": [' })).toEqual({ status: 400, body: { error: 'body: must be JSON' } });
    expect(await postReport('generic', { reports: [{ id: 'nope', channel: 'SMS', status: 'DELIVERED' }] })).toEqual({
      status: 400,
      body: { error: "reports[0].id: must be the message's id (a UUID)" },
    });
    expect(await postReport('generic', { reports: [{ id: '0190a6e4-0000-7000-8000-000000000000', channel: 'SMS', status: 'READ' }] })).toEqual({
      status: 400,
      body: { error: 'reports[0].status: must be SENT, DELIVERED or UNDELIVERED' },
    });
    expect(await postReport('msg91', { number: '919800000000', status: '1' })).toEqual({
      status: 400,
      body: { error: "body.requestId: must be the provider's message id (1 to 200 letters, digits or . : = + / - _)" },
    });
    expect(await postReport('whatsapp', { object: 'page', entry: [] })).toEqual({
      status: 400,
      body: { error: 'object: must be "whatsapp_business_account"' },
    });
    expect((await postReport('twilio', { reports: [] })).status).toBe(404);
  });

  it("answers Meta's subscription handshake only with the verify token", async () => {
    const hook = new URL('/hooks/messages/whatsapp', server.url);
    hook.search = new URLSearchParams({ 'hub.mode': 'subscribe', 'hub.verify_token': 'verify-me-please', 'hub.challenge': '1158201444' }).toString();
    const accepted = await fetch(hook);
    expect([accepted.status, await accepted.text()]).toEqual([200, '1158201444']);
    hook.searchParams.set('hub.verify_token', 'guess');
    expect((await fetch(hook)).status).toBe(401);
  });

  it('/metrics shows the delivered ratio per channel and template, as the tries say', async () => {
    const since = new Date(server.clock.now().getTime() - 24 * 60 * 60 * 1000);
    const rows = await prisma().messageAttempt.findMany({
      where: { createdAt: { gte: since }, status: { not: 'FAILED' } },
      select: { channel: true, template: true, status: true },
    });
    const text = await (await fetch(new URL('/metrics', server.url))).text();
    const expected = new Map<string, { accepted: number; delivered: number }>();
    for (const row of rows) {
      const key = `channel="${row.channel}",template="${row.template}"`;
      const pair = expected.get(key) ?? { accepted: 0, delivered: 0 };
      pair.accepted += 1;
      if (row.status === 'DELIVERED') pair.delivered += 1;
      expected.set(key, pair);
    }
    expect(expected.size).toBe(5);
    const shown = [...text.matchAll(/^bff_message_delivered_ratio\{(.+)\} (.+)$/gm)].map((match) => [match[1], Number(match[2])]);
    expect(new Map(shown as [string, number][])).toEqual(new Map([...expected].map(([key, pair]) => [key, pair.delivered / pair.accepted])));
    expect(text).toContain('bff_message_delivered_ratio{channel="WHATSAPP",template="ORDER_CONFIRMATION"}');
  });
});

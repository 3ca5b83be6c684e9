import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOrderPlaced, recordSignup } from '../../src/modules/activation/index.js';
import {
  createCustomer,
  createSignedInUser,
  daysBefore,
  deliverOrder,
  placeOrderAt,
  STRONG_PASSWORD,
  uniqueEmail,
  uniquePhone,
} from '../support/testkit/index.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let adminToken: string;

beforeAll(async () => {
  server = await startTestServer();
  adminToken = (await createSignedInUser(server, ['ADMIN'])).token;
});
afterAll(async () => server?.close());

const prisma = () => server.database.prisma;

async function eventsOf(customerId: string) {
  return prisma().activationEvent.findMany({ where: { customerId }, orderBy: [{ at: 'asc' }, { createdAt: 'asc' }] });
}

async function messagesOf(customerId: string) {
  return prisma().outboxMessage.findMany({ where: { customerId }, orderBy: { createdAt: 'asc' } });
}

describe('signup', () => {
  it('registration starts the pipeline: NEW, signupAt, one event and one welcome message', async () => {
    const phone = uniquePhone();
    const response = await server.gql(`mutation($input: RegisterInput!) { register(input: $input) { user { id } } }`, {
      input: { name: 'Meera Rao', phone, password: STRONG_PASSWORD },
    });
    expect(response.errors).toBeUndefined();
    const customer = await prisma().customer.findUniqueOrThrow({ where: { userId: response.data.register.user.id } });
    expect(customer.activationStatus).toBe('NEW');
    expect(customer.signupAt.toISOString()).toBe(server.clock.now().toISOString());
    const events = await eventsOf(customer.id);
    expect(events.map((event) => [event.fromStatus, event.toStatus, event.reason])).toEqual([[null, 'NEW', 'register']]);
    const messages = await messagesOf(customer.id);
    expect(messages.map((message) => [message.template, message.dedupeKey, message.to, message.channel])).toEqual([
      ['WELCOME', `welcome:${customer.id}`, phone, 'SMS'],
    ]);
  });

  it('OTP signup of a new phone starts the pipeline with reason otp-signup', async () => {
    const phone = uniquePhone();
    const requested = await server.gql(`mutation($phone: String!) { requestOtp(phone: $phone) { expiresAt } }`, { phone });
    expect(requested.errors).toBeUndefined();
    const otp = await prisma().outboxMessage.findFirstOrThrow({ where: { to: phone, template: 'OTP' } });
    const code = (otp.variables as { code: string }).code;
    const verified = await server.gql(`mutation($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { user { id } } }`, { phone, code });
    expect(verified.errors).toBeUndefined();
    const customer = await prisma().customer.findUniqueOrThrow({ where: { userId: verified.data.verifyOtp.user.id } });
    expect((await eventsOf(customer.id)).map((event) => event.reason)).toEqual(['otp-signup']);
    expect((await messagesOf(customer.id)).map((message) => message.template)).toEqual(['WELCOME']);
  });

  it('a customer created by staff starts the pipeline with reason marketing', async () => {
    const email = uniqueEmail('walk-in');
    const response = await server.gql(
      `mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id } }`,
      { input: { name: 'Walk-in Customer', roles: ['CUSTOMER'], email } },
      { token: adminToken },
    );
    expect(response.errors).toBeUndefined();
    const customer = await prisma().customer.findUniqueOrThrow({ where: { userId: response.data.createStaffUser.id } });
    expect((await eventsOf(customer.id)).map((event) => [event.toStatus, event.reason])).toEqual([['NEW', 'marketing']]);
    const [welcome] = await messagesOf(customer.id);
    expect(welcome).toMatchObject({ template: 'WELCOME', to: email, channel: 'EMAIL' });
  });

  it('replaying a signup changes nothing and queues nothing', async () => {
    const customer = await createCustomer(server);
    const later = new Date(server.clock.now().getTime() + 60_000);
    await prisma().$transaction((tx) => recordSignup(tx, customer, later, 'register'));
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread.signupAt.toISOString()).toBe(customer.signupAt.toISOString());
    expect(await eventsOf(customer.id)).toHaveLength(1);
    expect(await messagesOf(customer.id)).toHaveLength(1);
  });
});

describe('orders and deliveries', () => {
  it('the first order onboards the customer and queues the order confirmation once', async () => {
    const customer = await createCustomer(server);
    const first = daysBefore(server.clock.now(), 3);
    await placeOrderAt(server, customer.id, first);
    let reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread).toMatchObject({ activationStatus: 'ONBOARDED', firstOrderAt: first, lastOrderAt: first });
    const second = daysBefore(server.clock.now(), 2);
    await placeOrderAt(server, customer.id, second);
    reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread).toMatchObject({ activationStatus: 'ONBOARDED', firstOrderAt: first, lastOrderAt: second });
    expect((await eventsOf(customer.id)).map((event) => [event.fromStatus, event.toStatus, event.reason])).toEqual([
      [null, 'NEW', 'marketing'],
      ['NEW', 'ONBOARDED', 'first-order'],
    ]);
    const messages = await messagesOf(customer.id);
    expect(messages.map((message) => message.template)).toEqual(['WELCOME', 'ORDER_CONFIRMATION']);
    expect(messages[1].dedupeKey).toBe(`order-confirmation:${customer.id}`);
  });

  it('an order placed with an older time does not move lastOrderAt back', async () => {
    const customer = await createCustomer(server);
    const recent = daysBefore(server.clock.now(), 1);
    await placeOrderAt(server, customer.id, recent);
    await placeOrderAt(server, customer.id, daysBefore(server.clock.now(), 5));
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread.lastOrderAt).toEqual(recent);
  });

  it('a transition rolls back with the order that caused it', async () => {
    const customer = await createCustomer(server);
    await expect(
      prisma().$transaction(async (tx) => {
        const order = await tx.order.create({
          data: { customerId: customer.id, placedAt: server.clock.now(), totalPaise: 5_000, deliveryDate: new Date('2026-06-16') },
        });
        await recordOrderPlaced(tx, customer, order);
        throw new Error('payment declined');
      }),
    ).rejects.toThrow('payment declined');
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread).toMatchObject({ activationStatus: 'NEW', firstOrderAt: null, lastOrderAt: null });
    expect(await eventsOf(customer.id)).toHaveLength(1);
    expect((await messagesOf(customer.id)).map((message) => message.template)).toEqual(['WELCOME']);
  });

  it('the first delivery activates the customer once, with the thank-you message', async () => {
    const customer = await createCustomer(server);
    const first = await placeOrderAt(server, customer.id, daysBefore(server.clock.now(), 2));
    const second = await placeOrderAt(server, customer.id, daysBefore(server.clock.now(), 1));
    const deliveredAt = daysBefore(server.clock.now(), 1);
    await deliverOrder(server, first.id, deliveredAt);
    await deliverOrder(server, second.id, server.clock.now());
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread).toMatchObject({ activationStatus: 'ACTIVE', firstDeliveryAt: deliveredAt, onboardingCompleted: true });
    expect((await eventsOf(customer.id)).map((event) => [event.fromStatus, event.toStatus, event.reason])).toEqual([
      [null, 'NEW', 'marketing'],
      ['NEW', 'ONBOARDED', 'first-order'],
      ['ONBOARDED', 'ACTIVE', 'first-delivery'],
    ]);
    expect((await messagesOf(customer.id)).map((message) => message.template)).toEqual(['WELCOME', 'ORDER_CONFIRMATION', 'FIRST_DELIVERY_THANKS']);
  });

  it('an order while INACTIVE brings the customer back, once per order', async () => {
    const customer = await createCustomer(server, { signupAt: daysBefore(server.clock.now(), 90) });
    const order = await placeOrderAt(server, customer.id, daysBefore(server.clock.now(), 80));
    await deliverOrder(server, order.id, daysBefore(server.clock.now(), 79));
    await prisma().customer.update({ where: { id: customer.id }, data: { activationStatus: 'INACTIVE', churnedAt: daysBefore(server.clock.now(), 50) } });
    const comeback = await placeOrderAt(server, customer.id, server.clock.now());
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread).toMatchObject({ activationStatus: 'ACTIVE', churnedAt: null, lastOrderAt: server.clock.now() });
    // Replaying the same order's transition (a retried request) queues nothing more.
    await prisma().$transaction((tx) => recordOrderPlaced(tx, { ...reread, activationStatus: 'INACTIVE' }, comeback));
    const events = await eventsOf(customer.id);
    expect(events.at(-1)).toMatchObject({ fromStatus: 'INACTIVE', toStatus: 'ACTIVE', reason: 'order-while-inactive' });
    expect(events.filter((event) => event.reason === 'order-while-inactive')).toHaveLength(1);
    const welcomeBack = (await messagesOf(customer.id)).filter((message) => message.template === 'WELCOME_BACK');
    expect(welcomeBack.map((message) => message.dedupeKey)).toEqual([`welcome-back:${comeback.id}`]);
  });

  it('concurrent first orders onboard once and confirm once', async () => {
    const customer = await createCustomer(server);
    await Promise.all([1, 2, 3].map((hours) => placeOrderAt(server, customer.id, new Date(server.clock.now().getTime() - hours * 3_600_000))));
    const events = (await eventsOf(customer.id)).filter((event) => event.reason === 'first-order');
    expect(events).toHaveLength(1);
    expect((await messagesOf(customer.id)).filter((message) => message.template === 'ORDER_CONFIRMATION')).toHaveLength(1);
    const reread = await prisma().customer.findUniqueOrThrow({ where: { id: customer.id } });
    expect(reread.lastOrderAt).toEqual(new Date(server.clock.now().getTime() - 3_600_000));
  });
});

// Fixtures for the commerce tests (catalogue, customers, orders, delivery, suppliers). Users are written
// straight to the database and given a session the way login does, so that tests can make many users and
// move the clock without meeting the login throttle or the 15-minute token lifetime.
import type { Role } from '../../src/auth/roles.js';
import { uniqueEmail, uniquePhone } from '../support/factories.js';
import type { TestServer } from '../support/server.js';

export interface Actor {
  userId: string;
  name: string;
  phone: string | null;
  customerId: string | null;
  deliveryBoyId: string | null;
  supplierId: string | null;
  /** A fresh access token at the server clock's current time. */
  token(): Promise<string>;
}

let counter = 0;

export async function tokenFor(server: TestServer, userId: string): Promise<string> {
  const now = server.clock.now();
  const { sessionId } = await server.app.services.sessions.open(server.database.prisma, userId, now, { userAgent: null, clientIp: '127.0.0.1' });
  return (await server.app.tokens.sign({ userId, sessionId }, now)).token;
}

export async function makeActor(
  server: TestServer,
  roles: Role[],
  options: { name?: string; phone?: string | null; area?: string; address?: string; ratePerDeliveryPaise?: number; commissionRateBps?: number } = {},
): Promise<Actor> {
  counter += 1;
  const db = server.database.prisma;
  const name = options.name ?? `${roles.join('+')} ${counter}`;
  const phone = options.phone === undefined ? uniquePhone() : options.phone;
  const user = await db.user.create({ data: { name, email: uniqueEmail(roles[0].toLowerCase()), phone, roles } });
  const customer = roles.includes('CUSTOMER')
    ? await db.customer.create({ data: { userId: user.id, name, phone, area: options.area ?? 'Koramangala', address: options.address ?? `${counter} Main Road` } })
    : null;
  const deliveryBoy = roles.includes('DELIVERY_BOY')
    ? await db.deliveryBoy.create({ data: { userId: user.id, ratePerDeliveryPaise: options.ratePerDeliveryPaise ?? 3000 } })
    : null;
  const supplier = roles.includes('SUPPLIER')
    ? await db.supplier.create({ data: { userId: user.id, businessName: `${name} Dairy`, commissionRateBps: options.commissionRateBps ?? 1000 } })
    : null;
  return {
    userId: user.id,
    name,
    phone,
    customerId: customer?.id ?? null,
    deliveryBoyId: deliveryBoy?.id ?? null,
    supplierId: supplier?.id ?? null,
    token: () => tokenFor(server, user.id),
  };
}

/** Sends a request and fails the test with the server's errors when there are any. */
export async function ok<T = any>(server: TestServer, actor: Actor, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const response = await server.gql<T>(query, variables, { token: await actor.token() });
  if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

export async function createProduct(server: TestServer, admin: Actor, supplierId: string, pricePaise: number, name = `Milk ${++counter}`) {
  const data = await ok(server, admin, `mutation($input: CreateProductInput!) { createProduct(input: $input) { id } }`, {
    input: { supplierId, name, unit: '500 ml', pricePaise },
  });
  return data.createProduct.id as string;
}

export async function assign(server: TestServer, admin: Actor, customerId: string, deliveryBoyId: string) {
  await ok(server, admin, `mutation($c: ID!, $d: ID!) { assignDeliveryBoy(customerId: $c, deliveryBoyId: $d) { id } }`, { c: customerId, d: deliveryBoyId });
}

export const PLACE_ORDER = `mutation PlaceOrder($input: PlaceOrderInput!) {
  placeOrder(input: $input) { id status total { paise formatted } customer { id activationStatus firstOrderAt } }
}`;

/** The contract operation: its customer's activation fields are for admins (SPEC §3 masks them from delivery boys). */
export const MARK_DELIVERED = `mutation MarkOrderDelivered($orderId: ID!) {
  markOrderDelivered(orderId: $orderId) { id status deliveredAt customer { id activationStatus firstDeliveryAt } }
}`;

/** Today's IST calendar day at the server clock. */
export function istToday(server: TestServer): string {
  return new Date(server.clock.now().getTime() + 5.5 * 3600 * 1000).toISOString().slice(0, 10);
}

export async function placeOrder(
  server: TestServer,
  customer: Actor,
  items: { productId: string; quantity: number }[],
  deliveryDate = istToday(server),
): Promise<string> {
  const data = await ok(server, customer, PLACE_ORDER, { input: { items, deliveryDate } });
  return data.placeOrder.id as string;
}

/** Sets the clock to an IST wall-clock time, e.g. "2026-06-21T23:59". */
export function setIst(server: TestServer, localTime: string): void {
  server.clock.set(`${localTime}:00+05:30`);
}

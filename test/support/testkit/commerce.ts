// Catalogue, orders and deliveries through the API: the contract's operations over HTTP, sent by actors.
import { fromContract, type ContractOperation } from '../contract.js';
import { AssignDeliveryBoyDocument, CreateProductDocument, MarkOrderDeliveredDocument, PlaceOrderDocument } from '../generated/contract-operations.js';
import type { TestServer } from '../server.js';
import type { Actor } from './identity.js';

let productCounter = 0;

/** Sends a request and fails the test with the server's errors when there are any. */
export async function ok<T = any>(
  server: TestServer,
  actor: Actor,
  query: ContractOperation<T, unknown> | string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  const response = await server.gql<T>(query, variables, { token: await actor.token() });
  if (response.errors) throw new Error(`unexpected errors: ${JSON.stringify(response.errors)}`);
  return response.data as T;
}

export const CREATE_PRODUCT = fromContract(CreateProductDocument);
export const ASSIGN_DELIVERY_BOY = fromContract(AssignDeliveryBoyDocument);
export const PLACE_ORDER = fromContract(PlaceOrderDocument);
/** Its customer's activation fields are for admins (SPEC §3 masks them from delivery boys). */
export const MARK_DELIVERED = fromContract(MarkOrderDeliveredDocument);

export async function createProduct(server: TestServer, admin: Actor, supplierId: string, pricePaise: number, name = `Milk ${++productCounter}`) {
  const data = await ok(server, admin, CREATE_PRODUCT, { input: { supplierId, name, unit: '500 ml', pricePaise } });
  return data.createProduct.id;
}

export async function assign(server: TestServer, admin: Actor, customerId: string, deliveryBoyId: string) {
  await ok(server, admin, ASSIGN_DELIVERY_BOY, { customerId, deliveryBoyId });
}

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
  return data.placeOrder.id;
}

/** Sets the clock to an IST wall-clock time, e.g. "2026-06-21T23:59". */
export function setIst(server: TestServer, localTime: string): void {
  server.clock.set(`${localTime}:00+05:30`);
}

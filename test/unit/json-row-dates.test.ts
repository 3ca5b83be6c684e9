// Rows that arrive as JSON (a user with its facets, products with order lines, every read of a ReadBatch) get their timestamps back
// as Date values from hand-kept lists of columns: a DateTime column added to one of these models in
// schema.prisma must be added to its list too, or it would reach resolvers as a string.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PRODUCT_DATES } from '../../src/modules/catalogue/product.repository.js';
import { CUSTOMER_DATES } from '../../src/modules/customers/customer.repository.js';
import { DELIVERY_BOY_DATES, PAYOUT_DATES } from '../../src/modules/delivery/delivery.repository.js';
import { USER_DATES } from '../../src/modules/identity/identity.repository.js';
import { SUPPLIER_DATES } from '../../src/modules/suppliers/supplier.repository.js';
import { ORDER_DATES } from '../../src/modules/orders/order.repository.js';
import { SUBSCRIPTION_DATES } from '../../src/modules/orders/subscription.repository.js';

const schema = readFileSync(path.resolve(import.meta.dirname, '../../prisma/schema.prisma'), 'utf8');

function dateTimeColumns(model: string): string[] {
  const body = new RegExp(`model ${model} \\{([^}]*)\\}`).exec(schema)?.[1];
  if (!body) throw new Error(`no model ${model} in schema.prisma`);
  return body
    .split('\n')
    .map((line) => /^\s*(\w+)\s+DateTime\??(\s|$)/.exec(line)?.[1])
    .filter((name): name is string => name !== undefined)
    .sort();
}

describe('JSON row date columns', () => {
  it.each([
    ['Customer', CUSTOMER_DATES],
    ['User', USER_DATES],
    ['Supplier', SUPPLIER_DATES],
    ['Product', PRODUCT_DATES],
    ['DeliveryBoy', DELIVERY_BOY_DATES],
    ['Payout', PAYOUT_DATES],
    ['Order', ORDER_DATES],
    ['Subscription', SUBSCRIPTION_DATES],
  ])('lists every DateTime column of %s', (model, listed) => {
    expect([...listed].sort()).toEqual(dateTimeColumns(model));
  });
});

// The rules of SPEC §9 on small exports of our own, including the cases the shared sample lacks.
import { afterEach, describe, expect, it } from 'vitest';
import { linkKeyText } from '../../src/legacy/import-plan.js';
import { planImport } from '../../src/legacy/import-planner.js';
import { writeExport, type Collections, type ExportFolder } from './support/export-fixture.js';

const asOf = new Date('2026-06-30T00:00:00Z');
let folder: ExportFolder | undefined;
afterEach(async () => folder?.remove());

async function plan(collections: Collections) {
  folder = await writeExport(collections);
  return planImport({ directory: folder.directory, asOf, dryRun: true });
}

const reasons = (result: Awaited<ReturnType<typeof plan>>, id: string) =>
  result.report.problems.filter((problem) => problem.id === id).map((problem) => problem.reason);
const customerOf = (result: Awaited<ReturnType<typeof plan>>, legacyId: string) =>
  result.identities.customers.find((customer) => customer.memberIds.includes(legacyId) || customer.key.legacyId === legacyId);

describe('merging duplicate customers', () => {
  it('keeps the one with most subscriptions, then earliest created_at (missing is latest), then smallest id', async () => {
    const result = await plan({
      customers_v2: [
        { id: 'C_B', phone: '9876500001', name: 'B', created_at: '2025-01-01T00:00:00Z' },
        { id: 'C_A', phone: '+91 98765 00001', name: 'A', address: 'Lane 1' },
        { id: 'C_C', phone: '09876500001', email: 'Same@Mail.Example', created_at: '2025-02-01T00:00:00Z' },
        { id: 'D_2', phone: '9876500002', created_at: '2025-01-01T00:00:00Z' },
        { id: 'D_1', phone: '9876500002', created_at: '2025-01-01T00:00:00Z' },
        { id: 'E_1', phone: '9876500003' },
        { id: 'E_2', phone: '9876500003', created_at: '2026-01-01T00:00:00Z' },
      ],
      subscriptions_v2: [{ id: 'S1', customerId: 'C_C', product_id: 'P' }],
    });
    const merged = customerOf(result, 'C_A');
    expect(merged?.memberIds).toEqual(['C_C', 'C_B', 'C_A']);
    // Empty fields of the survivor come from the others, in survivor order.
    expect(merged?.merged).toMatchObject({ id: 'C_C', name: 'B', address: 'Lane 1', email: 'same@mail.example', phone: '+919876500001' });
    expect(customerOf(result, 'D_2')?.memberIds).toEqual(['D_1', 'D_2']);
    expect(customerOf(result, 'E_1')?.memberIds).toEqual(['E_2', 'E_1']);
    expect(result.report.customers).toEqual({ imported: 3, merged: 4, createdFromUsers: 0, quarantined: 0 });
    expect(reasons(result, 'C_A')).toEqual(['MERGED']);
  });

  it('merges a phone-less customer into the one phone group with its email, else by email alone', async () => {
    const result = await plan({
      customers_v2: [
        { id: 'P1', phone: '9876500011', email: 'one@mail.example' },
        { id: 'X1', phone: 'n/a', email: 'ONE@mail.example' },
        { id: 'P2', phone: '9876500012', email: 'shared@mail.example' },
        { id: 'P3', phone: '9876500013', email: 'shared@mail.example' },
        { id: 'X2', email: 'shared@mail.example' },
        { id: 'X3', email: 'lonely@mail.example' },
        { id: 'X4', email: 'Lonely@mail.example ' },
        { id: 'NONE', phone: '12345' },
      ],
    });
    expect(customerOf(result, 'X1')?.memberIds).toEqual(['P1', 'X1']);
    // Two people with different phones share an email: neither is merged, nor is the phone-less record.
    expect(customerOf(result, 'P2')?.memberIds).toEqual(['P2']);
    expect(customerOf(result, 'P3')?.memberIds).toEqual(['P3']);
    expect(customerOf(result, 'X2')).toBeUndefined();
    expect(customerOf(result, 'X3')?.memberIds).toEqual(['X3', 'X4']);
    expect(result.report.customers.quarantined).toBe(2);
    expect(reasons(result, 'NONE')).toEqual(['INVALID_PHONE', 'QUARANTINED']);
    expect(result.quarantined).toContainEqual(expect.objectContaining({ collection: 'customers_v2', legacyId: 'NONE', reason: 'INVALID_PHONE' }));
    // X2's email already belongs to P2's new login-less user: a user for X2 could hold nothing, so X2 is
    // set aside for a person to decide rather than attached to either P2 or P3.
    expect(reasons(result, 'X2')).toEqual(['EMAIL_HELD_BY_OTHER_USER', 'QUARANTINED']);
    expect(result.quarantined).toContainEqual(expect.objectContaining({ legacyId: 'X2', reason: 'AMBIGUOUS_IDENTITY' }));
  });
});

describe('linking customers and users', () => {
  it('links by phone, else email, else user_id, and fills the login with the customer phone', async () => {
    const result = await plan({
      users: [
        { id: 'U_PHONE', phone: '9876500021', email: 'u1@legacy.example', role: 'customer', created_at: '2026-01-01' },
        { id: 'U_EMAIL', email: ' Person@Mail.Example ', role: 'customer', created_at: '2026-01-01' },
        { _id: { $oid: 'aaaaaaaaaaaaaaaaaaaaaaaa' }, email: 'ref@legacy.example', role: 'customer', created_at: '2026-01-01' },
      ],
      customers_v2: [
        { id: 'C1', phone: '+91-98765-00021' },
        { id: 'C2', phone: '9876500022', email: 'person@mail.example' },
        { id: 'C3', phone: '9876500023', user_id: { $oid: 'aaaaaaaaaaaaaaaaaaaaaaaa' } },
        { id: 'C4', phone: '9876500024' },
      ],
    });
    expect(customerOf(result, 'C1')?.userKey).toBe('users|U_PHONE');
    expect(customerOf(result, 'C2')?.userKey).toBe('users|U_EMAIL');
    expect(result.identities.users.get('users|U_EMAIL')?.phone).toBe('+919876500022');
    expect(customerOf(result, 'C3')?.userKey).toBe('users|aaaaaaaaaaaaaaaaaaaaaaaa');
    const created = result.identities.users.get('customers_v2.user|C4');
    expect(created).toMatchObject({ phone: '+919876500024', password: null, legacyUser: null });
    expect([...(created?.roles ?? [])]).toEqual(['CUSTOMER']);
    expect(result.report.users).toEqual({ imported: 3, linked: 3, created: 1, archived: 0 });
  });

  it('archives old idle customer logins, keeps staff and users with orders, gives the rest a customer', async () => {
    const result = await plan({
      users: [
        { id: 'OLD_IDLE', email: 'old@legacy.example', role: 'customer', created_at: { $date: '2025-05-31T00:00:00Z' } },
        { id: 'OLD_ORDERS', email: 'orders@legacy.example', role: 'customer', created_at: '2024-01-01T00:00:00Z' },
        { id: 'OLD_ADMIN', email: 'admin@legacy.example', role: 'admin', created_at: '2024-01-01T00:00:00Z' },
        { id: 'NEW_IDLE', phone: '9876500031', role: 'customer', created_at: '2025-06-01T00:00:00Z' },
        { id: 'UNDATED', email: 'undated@legacy.example', role: 'customer' },
      ],
      suppliers: [{ id: 'S', name: 'S', email: 's@example.com', products_supplied: ['P'] }],
      products: [{ id: 'P', name: 'Milk', unit: 'L', price: 30 }],
      orders: [
        {
          id: 'O1',
          user_id: 'OLD_ORDERS',
          items: [{ product_id: 'P', quantity: 1, price: 30, total: 30 }],
          total_amount: 30,
          delivery_date: '2026-06-01',
          status: 'pending',
          created_at: '2026-06-01T00:00:00Z',
        },
      ],
    });
    expect(result.archived.map((entry) => entry.legacyId)).toEqual(['OLD_IDLE']);
    // The plan names what it sets aside; the writer reads the document back from the export.
    expect(result.archived).toEqual([{ collection: 'users', legacyId: 'OLD_IDLE', reason: 'INACTIVE_BEFORE_2025_06_01' }]);
    expect(result.identities.customers.map((customer) => linkKeyText(customer.key)).sort()).toEqual([
      'users.customer|NEW_IDLE',
      'users.customer|OLD_ORDERS',
      'users.customer|UNDATED',
    ]);
    expect(result.report.users).toEqual({ imported: 4, linked: 0, created: 0, archived: 1 });
    expect(result.report.customers.createdFromUsers).toBe(3);
    expect([...(result.identities.users.get('users|OLD_ADMIN')?.roles ?? [])]).toEqual(['ADMIN']);
  });

  it('gives a second login with the same phone no phone, and quarantines a login with no contact', async () => {
    const result = await plan({
      users: [
        { id: 'FIRST', phone: '9876500041', email: 'a@legacy.example', created_at: '2026-01-01T00:00:00Z' },
        { id: 'SECOND', phone: '98765 00041', email: 'b@legacy.example', created_at: '2026-02-01T00:00:00Z' },
        { id: 'NOBODY', phone: '000', created_at: '2026-02-01T00:00:00Z' },
      ],
      orders: [{ id: 'O', user_id: 'NOBODY', items: [], total_amount: 1, delivery_date: '2026-06-01', status: 'pending', created_at: '2026-06-01T00:00:00Z' }],
    });
    expect(result.identities.users.get('users|SECOND')).toMatchObject({ phone: null, email: 'b@legacy.example' });
    expect(reasons(result, 'SECOND')).toEqual(['DUPLICATE_PHONE']);
    expect(reasons(result, 'NOBODY')).toEqual(expect.arrayContaining(['INVALID_PHONE', 'NO_CONTACT', 'ORDERS_QUARANTINED']));
    expect(result.report.orders).toEqual({ imported: 0, quarantined: 1 });
  });
});

describe('delivery boys, suppliers and products', () => {
  it('links by user_id (any id form), phone or email, and makes login-less users for the rest', async () => {
    const result = await plan({
      users: [
        { _id: { $oid: 'bbbbbbbbbbbbbbbbbbbbbbbb' }, id: 'U_BOY', email: 'boy@example.com', role: 'delivery_boy', created_at: '2024-01-01' },
        { id: 'U_BOY2', phone: '9876500051', role: 'delivery_boy', created_at: '2024-01-01' },
        { id: 'U_SUP', email: 'SUP@example.com ', role: 'supplier', created_at: '2024-01-01' },
        { id: 'U_ROLE_ONLY', email: 'roleonly@example.com', role: 'delivery_boy', created_at: '2024-01-01' },
      ],
      delivery_boys: [
        { id: 'B1', name: 'One', user_id: 'bbbbbbbbbbbbbbbbbbbbbbbb', rate_per_delivery: '35' },
        { id: 'B2', name: 'Two', phone: '+91 98765 00051', payment_frequency: 'monthly', status: 'on_leave' },
        { id: 'B3', name: 'Three', phone: '9876500052' },
        { id: 'B4', name: 'Nobody' },
      ],
      suppliers: [
        { id: 'S1', name: 'Dairy', email: 'sup@example.com', commission_rate: 12.5 },
        { id: 'S2', name: 'Farm', phone: '9876500053', products_supplied: ['P2'] },
      ],
      products: [
        { id: 'P1', name: 'Milk', unit: 'L', default_price: '52.50', price: 60, supplier_id: 'S1' },
        { id: 'P2', name: 'Curd', unit: 'Kg', price: { $numberDecimal: '40.005' } },
        { id: 'P3', name: 'Orphan', unit: 'Kg', price: 10 },
      ],
    });
    const boys = Object.fromEntries(result.identities.deliveryBoys.map((boy) => [boy.key.legacyId, boy]));
    expect(boys.B1).toMatchObject({ userKey: 'users|U_BOY', linkedToUser: true });
    expect(boys.B1.legacy).toMatchObject({ ratePaise: 3500 });
    expect(boys.B2).toMatchObject({ userKey: 'users|U_BOY2', linkedToUser: true });
    expect(boys.B2.legacy).toMatchObject({ paymentFrequency: 'MONTHLY', status: 'ON_LEAVE', ratePaise: 3000 });
    expect(boys.B3).toMatchObject({ userKey: 'delivery_boys.user|B3', linkedToUser: false });
    expect(boys.U_ROLE_ONLY).toMatchObject({ userKey: 'users|U_ROLE_ONLY', legacy: null });
    expect(boys.B4).toBeUndefined();
    expect(reasons(result, 'B4')).toEqual(['NO_CONTACT']);
    expect(result.report.deliveryBoys).toEqual({ imported: 3, linkedToUsers: 2 });
    expect(result.report.suppliers).toEqual({ imported: 2, linkedToUsers: 1 });
    expect(result.identities.suppliers.find((supplier) => supplier.key.legacyId === 'S1')?.legacy?.commissionRateBps).toBe(1250);
    expect(result.report.productsPaise).toEqual({ P1: 5250, P2: 4001 });
    expect(result.quarantined).toContainEqual(expect.objectContaining({ collection: 'products', legacyId: 'P3', reason: 'NO_SUPPLIER' }));
  });
});

describe('orders and subscriptions', () => {
  const base: Collections = {
    users: [{ id: 'U', phone: '9876500061', role: 'customer', created_at: '2026-01-01T00:00:00Z' }],
    customers_v2: [{ _id: { $oid: 'cccccccccccccccccccccccc' }, id: 'C', phone: '9876500061' }],
    delivery_boys: [
      { _id: { $oid: 'dddddddddddddddddddddddd' }, id: 'B', name: 'B', phone: '9876500062', rate_per_delivery: 40 },
      { id: 'B2', name: 'B2', phone: '9876500063' },
    ],
    suppliers: [{ id: 'S', name: 'S', email: 's@example.com', products_supplied: ['P'] }],
    products: [{ id: 'P', name: 'Milk', unit: 'L', price: 30 }],
  };
  const order = (fields: Record<string, unknown>) => ({
    user_id: 'U',
    items: [{ product_id: 'P', quantity: 1, price: 30, total: 30 }],
    total_amount: '30',
    delivery_date: '2026-06-20',
    status: 'pending',
    created_at: '2026-06-19T10:00:00Z',
    ...fields,
  });

  it('treats a confirmed delivery as delivered, never a cancelled order, with the fallbacks of FORMAT.md', async () => {
    const result = await plan({
      ...base,
      orders: [
        order({ id: 'O_CONFIRMED', status: 'out_for_delivery', delivery_boy_id: 'dddddddddddddddddddddddd' }),
        order({ id: 'O_CANCELLED', status: 'cancelled' }),
        order({ id: 'O_DELIVERED', status: 'delivered' }),
        order({ id: 'O_GHOST', user_id: 'NOBODY' }),
        order({ id: 'O_BAD_PRODUCT', items: [{ product_id: 'NOPE', quantity: 1, price: 1, total: 1 }] }),
      ],
      delivery_statuses: [
        { id: 'D1', order_id: 'O_CONFIRMED', status: 'partially_delivered', delivered_at: '2026-06-20T02:00:00Z', delivery_boy_id: 'B2' },
        { id: 'D2', order_id: 'O_CANCELLED', status: 'delivered' },
        { id: 'D3', order_id: 'O_DELIVERED', status: 'delivered', delivery_boy_id: 'B2' },
      ],
    });
    expect(result.report.orders).toEqual({ imported: 3, quarantined: 2 });
    expect(result.report.deliveredOrders).toBe(2);
    expect(reasons(result, 'O_GHOST')).toEqual(['QUARANTINED']);
    expect(result.report.problems.find((problem) => problem.id === 'O_BAD_PRODUCT')?.detail).toMatch(/^UNKNOWN_PRODUCT/);
    // O_DELIVERED has no delivered_at anywhere: its delivery date at 00:00 IST (2026-06-19T18:30Z) counts,
    // which is earlier than O_CONFIRMED's confirmation at 02:00Z.
    expect(customerOf(result, 'C')?.activation).toMatchObject({ status: 'ACTIVE', firstDeliveryAt: new Date('2026-06-19T18:30:00Z') });
  });

  it('points subscriptions at the merged customer by id or ObjectId, through either alias, and quarantines orphans', async () => {
    const result = await plan({
      ...base,
      subscriptions_v2: [
        {
          id: 'S1',
          customerId: 'C',
          productId: 'P',
          mode: 'weekly_pattern',
          weekly_pattern: [0, 6, 6],
          shift: 'evening',
          default_qty: '2',
          status: 'draft',
          stop_date: '2026-07-01',
        },
        {
          id: 'S2',
          customer_id: 'cccccccccccccccccccccccc',
          product_id: 'P',
          mode: 'irregular',
          shift: 'both',
          delivery_boy_id: { $oid: 'dddddddddddddddddddddddd' },
        },
        { id: 'S3', customer_id: 'GHOST', product_id: 'P' },
        { id: 'S4', customer_id: 'C', product_id: 'NOPE' },
      ],
    });
    expect(result.report.subscriptions).toEqual({ imported: 2, quarantined: 2 });
    const [first, second] = result.subscriptions;
    expect(first.legacy).toMatchObject({ pattern: 'WEEKLY', weekdays: [1, 7], shift: 'EVENING', quantity: 2, status: 'PAUSED', stopDate: '2026-07-01' });
    expect(first.customerKey).toBe('customers_v2|C');
    expect(second).toMatchObject({ customerKey: 'customers_v2|C', deliveryBoyKey: 'delivery_boys|B' });
    expect(reasons(result, 'S2')).toEqual(['MODE_APPROXIMATED', 'SHIFT_APPROXIMATED']);
    expect(reasons(result, 'S1')).toEqual(['STATUS_APPROXIMATED']);
    expect(result.quarantined.filter((entry) => entry.collection === 'subscriptions_v2').map((entry) => [entry.legacyId, entry.reason])).toEqual([
      ['S3', 'OWNER_NOT_FOUND'],
      ['S4', 'UNKNOWN_PRODUCT'],
    ]);
  });
});

describe('reading problems', () => {
  it('reports missing collections, malformed lines with file and line, missing and duplicate ids', async () => {
    const result = await plan({
      users: { raw: '{"id": "U1", "email": "a@b.example"}\n{"id": "U2", broken\n{"email": "noid@b.example"}\n{"id": "U1", "email": "c@b.example"}\n' },
      customers_v2: { array: [] },
    });
    expect(result.report.read.users).toBe(3);
    expect(result.report.missingCollections).toEqual(['delivery_boys', 'suppliers', 'products', 'subscriptions_v2', 'orders', 'delivery_statuses']);
    expect(result.report.problems).toContainEqual(expect.objectContaining({ collection: 'users', reason: 'MALFORMED_DOCUMENT', file: 'users.json', line: 2 }));
    expect(result.report.problems).toContainEqual(expect.objectContaining({ collection: 'users', reason: 'MISSING_ID', line: 3 }));
    expect(result.report.problems).toContainEqual(expect.objectContaining({ collection: 'users', id: 'U1', reason: 'DUPLICATE_ID', line: 4 }));
    expect(result.report.problems).toContainEqual(expect.objectContaining({ collection: 'orders', reason: 'MISSING_COLLECTION' }));
    expect(result.report.users.imported).toBe(1);
  });
});

// The audit trail: every mutation of the built schema is either audited (it changes someone else's data,
// and then writes exactly one entry naming the actor, the target and a before/after with no secret) or
// listed as exempt (it changes only the viewer's own data). A mutation added without a decision fails
// here. Then the admins' `auditLog` query, its filters and who may read it.
import { enrolTotp } from '../support/second-factor.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountKey } from '../../src/modules/identity/identity.keys.js';
import { buildBaseSchema } from '../../src/server/schema.js';
import {
  assign,
  createProduct,
  createSignedInUser,
  makeActor,
  MARK_DELIVERED,
  ok,
  PLACE_ORDER,
  placeOrder,
  setIst,
  STRONG_PASSWORD,
  uniqueEmail,
  uniquePhone,
  type Actor,
} from '../support/testkit/index.js';
import { fromNewIp } from '../support/operations.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ TRUST_PROXY: 'true' });
});
afterAll(async () => server?.close());

/** Mutations that change only the viewer's own data (or nobody's yet): no audit entry is asked of them. */
const EXEMPT: Record<string, string> = {
  register: "creates the caller's own account",
  login: "signs the caller in (a staff member's sign-in is audited: see below)",
  verifyOtp: 'signs the caller in',
  requestOtp: 'sends the caller a code',
  refreshSession: "renews the caller's own session",
  logout: "ends the caller's own session",
  logoutAll: "ends the caller's own sessions",
  logoutOthers: "ends the caller's own other sessions",
  changePassword: "the caller's own password",
  requestPasswordReset: 'sends the account holder a reset code',
  resetPassword: 'the holder of the reset code sets their own password',
  requestPriceChange: "a supplier asks about its own product; the admin's review is audited",
  beginTotpEnrolment: "starts the caller's own enrolment (its confirmation is audited as the caller's own change)",
  confirmTotpEnrolment: "the caller's own second factor (audited as second-factor.totp-enrolled)",
  beginPasskeyRegistration: "starts the caller's own passkey registration",
  finishPasskeyRegistration: "the caller's own passkey (audited as second-factor.passkey-registered)",
  beginPasskeySignIn: "starts the caller's own sign-in",
  verifySecondFactor: "signs the caller in (a staff member's sign-in is audited)",
  beginPasskeyReauthentication: "starts the caller's own step-up",
  reauthenticate: "proves the caller's own second factor",
  setMarketingConsent: "the customer's own consent",
  setWhatsappOptIn: "the customer's own consent (audited as customer.whatsapp-opt-in / -opt-out)",
};

interface World {
  admin: Actor;
  marketing: Actor;
  deliveryBoy: Actor;
  otherDeliveryBoy: Actor;
  supplier: Actor;
  customer: Actor;
  milk: string;
  todaysOrder: string;
  /** A staff member with an authenticator app, enrolled before the run (its own enrolment is its own entry). */
  enrolledStaff: Actor;
}

interface Expected {
  actor: Actor;
  action: string;
  targetUserId: string | null;
}

/** How each audited mutation is made to change someone else's data, and the entry it must write. */
const AUDITED: Record<string, (world: World) => Promise<Expected>> = {
  async createStaffUser({ admin }) {
    const data = await ok(server, admin, `mutation($input: CreateStaffUserInput!) { createStaffUser(input: $input) { id } }`, {
      input: { name: 'New Marketer', roles: ['MARKETING_STAFF'], email: uniqueEmail('staff'), password: STRONG_PASSWORD },
    });
    return { actor: admin, action: 'user.create', targetUserId: data.createStaffUser.id };
  },
  async setUserRoles({ admin, marketing }) {
    await ok(server, admin, `mutation($u: ID!, $r: [Role!]!) { setUserRoles(userId: $u, roles: $r) { id } }`, {
      u: marketing.userId,
      r: ['MARKETING_STAFF', 'CUSTOMER'],
    });
    return { actor: admin, action: 'user.set-roles', targetUserId: marketing.userId };
  },
  async setUserStatus({ admin }) {
    const victim = await makeActor(server, ['CUSTOMER']);
    await ok(server, admin, `mutation($u: ID!, $s: UserStatus!) { setUserStatus(userId: $u, status: $s) { id } }`, { u: victim.userId, s: 'DISABLED' });
    return { actor: admin, action: 'user.set-status', targetUserId: victim.userId };
  },
  async unlockUser({ admin, customer }) {
    for (let failure = 0; failure < 10; failure += 1) await server.app.counters.recordFailure(accountKey(customer.userId), server.clock.now());
    await ok(server, admin, `mutation($u: ID!) { unlockUser(userId: $u) { id } }`, { u: customer.userId });
    return { actor: admin, action: 'user.unlock', targetUserId: customer.userId };
  },
  async resetSecondFactor({ admin, enrolledStaff }) {
    await ok(server, admin, `mutation($u: ID!) { resetSecondFactor(userId: $u) }`, { u: enrolledStaff.userId });
    return { actor: admin, action: 'second-factor.reset', targetUserId: enrolledStaff.userId };
  },
  async revokeSession({ admin, customer }) {
    const token = await customer.token();
    const sessionId = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sid;
    await ok(server, admin, `mutation($id: ID!) { revokeSession(id: $id) }`, { id: sessionId });
    return { actor: admin, action: 'session.revoke', targetUserId: customer.userId };
  },
  async createCustomer({ marketing }) {
    const phone = uniquePhone();
    await ok(server, marketing, `mutation($input: CreateCustomerInput!) { createCustomer(input: $input) { id } }`, { input: { name: 'Field Signup', phone } });
    const created = await server.database.prisma.customer.findUniqueOrThrow({ where: { phone } });
    return { actor: marketing, action: 'customer.create', targetUserId: created.userId };
  },
  async assignDeliveryBoy({ admin, customer, otherDeliveryBoy }) {
    await assign(server, admin, customer.customerId!, otherDeliveryBoy.deliveryBoyId!);
    return { actor: admin, action: 'customer.assign-delivery-boy', targetUserId: customer.userId };
  },
  async recordCustomerContact({ marketing, customer }) {
    await ok(server, marketing, `mutation($c: ID!) { recordCustomerContact(customerId: $c, kind: CALL, note: "Asked about ghee") { id } }`, {
      c: customer.customerId,
    });
    return { actor: marketing, action: 'customer.contact', targetUserId: customer.userId };
  },
  async createSubscription({ marketing, customer, milk }) {
    await ok(server, marketing, `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, {
      input: { customerId: customer.customerId, productId: milk, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' },
    });
    return { actor: marketing, action: 'subscription.create', targetUserId: customer.userId };
  },
  async placeOrder({ admin, customer, milk }) {
    await ok(server, admin, PLACE_ORDER, { input: { customerId: customer.customerId, items: [{ productId: milk, quantity: 2 }], deliveryDate: '2026-06-20' } });
    return { actor: admin, action: 'order.place', targetUserId: customer.userId };
  },
  async markOrderDelivered({ deliveryBoy, customer, todaysOrder }) {
    await ok(server, deliveryBoy, MARK_DELIVERED, { orderId: todaysOrder });
    return { actor: deliveryBoy, action: 'order.deliver', targetUserId: customer.userId };
  },
  async recordPayout({ admin, deliveryBoy }) {
    server.clock.advance(60_000);
    await ok(server, admin, `mutation($d: ID!) { recordPayout(deliveryBoyId: $d, amountPaise: 1000) { id } }`, { d: deliveryBoy.deliveryBoyId });
    return { actor: admin, action: 'payout.record', targetUserId: deliveryBoy.userId };
  },
  async reassignOrder({ admin, customer, deliveryBoy, milk }) {
    // Placed after assignDeliveryBoy: the order is the other delivery boy's, handed back here.
    const orderId = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }], '2026-06-21');
    await ok(server, admin, `mutation($o: ID!, $d: ID!) { reassignOrder(orderId: $o, deliveryBoyId: $d) { id } }`, {
      o: orderId,
      d: deliveryBoy.deliveryBoyId,
    });
    return { actor: admin, action: 'order.reassign', targetUserId: customer.userId };
  },
  async createProduct({ admin, supplier }) {
    await createProduct(server, admin, supplier.supplierId!, 4_500, 'Paneer 200 g');
    return { actor: admin, action: 'product.create', targetUserId: supplier.userId };
  },
  async reviewPriceChange({ admin, supplier, milk }) {
    const requested = await ok(server, supplier, `mutation($p: ID!) { requestPriceChange(productId: $p, newPricePaise: 3300) { id } }`, { p: milk });
    await ok(server, admin, `mutation($id: ID!) { reviewPriceChange(id: $id, approve: true) { id } }`, { id: requested.requestPriceChange.id });
    return { actor: admin, action: 'price-change.approve', targetUserId: supplier.userId };
  },
  async runInactivitySweep({ admin }) {
    await ok(server, admin, `mutation { runInactivitySweep { markedInactive } }`);
    return { actor: admin, action: 'activation.sweep', targetUserId: null };
  },
};

const SECRET_TEXT = [/\$2[aby]\$/, /password/i, /token/i, /hash/i, new RegExp(STRONG_PASSWORD)];

async function makeWorld(): Promise<World> {
  setIst(server, '2026-06-15T07:00');
  const admin = await makeActor(server, ['ADMIN']);
  const supplier = await makeActor(server, ['SUPPLIER']);
  const deliveryBoy = await makeActor(server, ['DELIVERY_BOY']);
  const customer = await makeActor(server, ['CUSTOMER']);
  const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
  await assign(server, admin, customer.customerId!, deliveryBoy.deliveryBoyId!);
  const todaysOrder = await placeOrder(server, customer, [{ productId: milk, quantity: 1 }]);
  const enrolledStaff = await makeActor(server, ['MARKETING_STAFF']);
  await enrolTotp(server, await enrolledStaff.token());
  return {
    enrolledStaff,
    admin,
    supplier,
    deliveryBoy,
    customer,
    milk,
    todaysOrder,
    marketing: await makeActor(server, ['MARKETING_STAFF']),
    otherDeliveryBoy: await makeActor(server, ['DELIVERY_BOY']),
  };
}

describe("every mutation that changes another user's data writes one audit entry", () => {
  it('has a decision for every mutation of the schema', async () => {
    const mutations = Object.keys((await buildBaseSchema()).getMutationType()!.getFields()).sort();
    const decided = [...Object.keys(EXEMPT), ...Object.keys(AUDITED)].sort();
    expect(mutations).toEqual(decided);
    expect(Object.keys(EXEMPT).filter((name) => name in AUDITED)).toEqual([]);
  });

  it('writes exactly one entry with the actor, the target and what changed, and no secret', async () => {
    const world = await makeWorld();
    const report: Record<string, unknown> = {};
    for (const [mutation, run] of Object.entries(AUDITED)) {
      const seen = new Set((await server.database.prisma.auditLog.findMany({ select: { id: true } })).map((entry) => entry.id));
      const expected = await run(world);
      const written = (await server.database.prisma.auditLog.findMany({ orderBy: { id: 'asc' } })).filter((entry) => !seen.has(entry.id));
      expect(written, mutation).toHaveLength(1);
      const [entry] = written;
      const details = entry.details as { before: Record<string, unknown> | null; after: Record<string, unknown> | null };
      expect([entry.action, entry.actorUserId, entry.targetUserId], mutation).toEqual([expected.action, expected.actor.userId, expected.targetUserId]);
      expect(details.after ?? details.before, mutation).not.toBeNull();
      // Something changed: a new record (no before) or a value that differs.
      if (details.before && details.after) expect(details.after, mutation).not.toEqual(details.before);
      for (const pattern of SECRET_TEXT) expect(JSON.stringify(details), `${mutation} ${pattern}`).not.toMatch(pattern);
      report[mutation] = details;
    }
    expect(report.setUserRoles).toEqual({ before: { roles: ['MARKETING_STAFF'] }, after: { roles: ['MARKETING_STAFF', 'CUSTOMER'] } });
    expect(report.setUserStatus).toEqual({ before: { status: 'ACTIVE' }, after: { status: 'DISABLED' } });
    expect((report.unlockUser as any).before.lockedUntil).not.toBeNull();
    expect((report.unlockUser as any).after).toEqual({ lockedUntil: null });
    expect(report.assignDeliveryBoy).toEqual({
      before: { deliveryBoyId: world.deliveryBoy.deliveryBoyId },
      after: { deliveryBoyId: world.otherDeliveryBoy.deliveryBoyId },
    });
    expect(report.recordPayout).toMatchObject({ before: { unpaidPaise: 3000 }, after: { amountPaise: 1000, unpaidPaise: 2000 } });
    expect(report.reviewPriceChange).toMatchObject({ before: { status: 'PENDING', pricePaise: 3000 }, after: { status: 'APPROVED', pricePaise: 3300 } });
  });

  it('writes nothing when customers order and subscribe for themselves', async () => {
    setIst(server, '2026-06-16T07:00');
    const admin = await makeActor(server, ['ADMIN']);
    const supplier = await makeActor(server, ['SUPPLIER']);
    const customer = await makeActor(server, ['CUSTOMER']);
    const milk = await createProduct(server, admin, supplier.supplierId!, 3_000);
    await placeOrder(server, customer, [{ productId: milk, quantity: 1 }], '2026-06-20');
    await ok(server, customer, `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id } }`, {
      input: { productId: milk, quantity: 1, pattern: 'DAILY', shift: 'MORNING', startDate: '2026-06-20' },
    });
    expect(await server.database.prisma.auditLog.count({ where: { targetUserId: customer.userId } })).toBe(0);
  });

  it("records a staff member's sign-in, and not a customer's", async () => {
    const staff = await createSignedInUser(server, ['MARKETING_STAFF']);
    const customer = await createSignedInUser(server, ['CUSTOMER']);
    const entries = await server.database.prisma.auditLog.findMany({
      where: { action: 'session.sign-in', targetUserId: { in: [staff.user.id, customer.user.id] } },
    });
    expect(entries.map((entry) => [entry.actorUserId, entry.targetUserId, entry.entityType])).toEqual([[staff.user.id, staff.user.id, 'Session']]);
    expect((entries[0].details as any).after).toEqual({ device: 'Unknown device', ipAddress: '127.0.0.1', newDevice: true });
  });
});

const AUDIT_LOG = `query AuditLog($first: Int, $after: String, $actorId: ID, $targetUserId: ID, $action: String, $from: DateTime, $to: DateTime) {
  auditLog(first: $first, after: $after, actorId: $actorId, targetUserId: $targetUserId, action: $action, from: $from, to: $to) {
    totalCount pageInfo { hasNextPage endCursor }
    edges { node { id at action actorId actor { id } targetUserId target { id roles } subjectType subjectId before after } }
  }
}`;

describe('auditLog', () => {
  it('gives admins the trail newest first, filtered and paged', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const target = await makeActor(server, ['CUSTOMER']);
    const setRoles = `mutation($u: ID!, $r: [Role!]!) { setUserRoles(userId: $u, roles: $r) { id } }`;
    for (const roles of [['CUSTOMER', 'MARKETING_STAFF'], ['CUSTOMER']]) {
      server.clock.advance(1_000);
      expect((await server.gql(setRoles, { u: target.userId, r: roles }, { token: admin.token })).errors).toBeUndefined();
    }
    const page = await server.gql(AUDIT_LOG, { first: 1, targetUserId: target.userId, action: 'user.set-roles' }, { token: admin.token });
    expect(page.errors).toBeUndefined();
    expect(page.data.auditLog.totalCount).toBe(2);
    const [newest] = page.data.auditLog.edges.map((edge: any) => edge.node);
    expect(newest).toMatchObject({
      action: 'user.set-roles',
      actorId: admin.user.id,
      actor: { id: admin.user.id },
      targetUserId: target.userId,
      target: { id: target.userId, roles: ['CUSTOMER'] },
      subjectType: 'User',
      subjectId: target.userId,
    });
    expect([JSON.parse(newest.before), JSON.parse(newest.after)]).toEqual([{ roles: ['CUSTOMER', 'MARKETING_STAFF'] }, { roles: ['CUSTOMER'] }]);
    const next = await server.gql(
      AUDIT_LOG,
      { first: 1, after: page.data.auditLog.pageInfo.endCursor, targetUserId: target.userId, action: 'user.set-roles' },
      { token: admin.token },
    );
    expect(JSON.parse(next.data.auditLog.edges[0].node.after)).toEqual({ roles: ['CUSTOMER', 'MARKETING_STAFF'] });
    expect(next.data.auditLog.pageInfo.hasNextPage).toBe(false);

    const now = server.clock.now();
    const window = await server.gql(
      AUDIT_LOG,
      { actorId: admin.user.id, from: new Date(now.getTime() - 500).toISOString(), to: new Date(now.getTime() + 1).toISOString() },
      { token: admin.token },
    );
    expect(window.data.auditLog.edges.map((edge: any) => JSON.parse(edge.node.after))).toEqual([{ roles: ['CUSTOMER'] }]);
  });

  it('names the argument of a bad filter', async () => {
    const admin = await createSignedInUser(server, ['ADMIN']);
    const cases: [Record<string, unknown>, string][] = [
      [{ actorId: 'nobody' }, 'actorId'],
      [{ targetUserId: '1234' }, 'targetUserId'],
      [{ action: 'user.delete-everything' }, 'action'],
      [{ from: '2026-06-15T00:00:00Z', to: '2026-06-14T00:00:00Z' }, 'to'],
      [{ first: 101 }, 'first'],
    ];
    for (const [variables, field] of cases) {
      const answer = await server.gql(AUDIT_LOG, variables, { token: admin.token });
      expect(answer.errors?.[0].extensions, field).toMatchObject({ code: 'BAD_USER_INPUT', field });
    }
  });

  it('is for admins only', async () => {
    for (const roles of [['MARKETING_STAFF'], ['CUSTOMER'], ['SUPPLIER'], ['DELIVERY_BOY']] as const) {
      const user = await makeActor(server, [...roles]);
      const answer = await server.gql(AUDIT_LOG, {}, { token: await user.token() });
      expect(answer.errors?.[0].extensions?.code, roles[0]).toBe('FORBIDDEN');
      expect(answer.data).toBeNull();
    }
    expect((await server.gql(AUDIT_LOG, {}, fromNewIp())).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});

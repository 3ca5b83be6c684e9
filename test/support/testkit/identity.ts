// Users, their facets and their sessions, made through the identity module's public API (its repository,
// its password hasher, the server's session service and token signer), the way `npm run user:create` does
// without the audit entry: tests count audit entries and activation events exactly.
import type { Role } from '../../../src/auth/roles.js';
import type { Database } from '../../../src/db/client.js';
import { BcryptPool, IdentityRepository, PasswordHasher } from '../../../src/modules/identity/index.js';
import { DeliveryRepository } from '../../../src/modules/delivery/index.js';
import { SupplierRepository } from '../../../src/modules/suppliers/index.js';
import { persistedOperation } from '../contract.js';
import type { TestServer } from '../server.js';
import { STRONG_PASSWORD, uniqueEmail, uniquePhone } from './unique.js';

let hashingPool: BcryptPool | undefined;

/** One hashing thread for the test file (its workers do not hold the process open), at the server's cost. */
function passwordHasher(server: TestServer): PasswordHasher {
  hashingPool ??= new BcryptPool(1);
  return new PasswordHasher(hashingPool, server.app.config.BCRYPT_COST);
}

interface Facets {
  name: string;
  ratePerDeliveryPaise?: number;
  commissionRateBps?: number;
}

/**
 * The delivery-boy and supplier facets of a new user's roles, through their owners' repositories (with the
 * schema's defaults: ₹30 a delivery paid weekly, 10 % commission).
 */
async function createFacets(db: Database, userId: string, roles: Role[], facets: Facets) {
  const deliveryBoy = roles.includes('DELIVERY_BOY')
    ? await new DeliveryRepository(db).ensureForUser(db, userId, {
        ratePerDeliveryPaise: facets.ratePerDeliveryPaise ?? 3000,
        paymentFrequency: 'WEEKLY',
        area: null,
      })
    : null;
  const supplier = roles.includes('SUPPLIER')
    ? await new SupplierRepository(db).ensureForUser(db, userId, { businessName: `${facets.name} Dairy`, commissionRateBps: facets.commissionRateBps ?? 1000 })
    : null;
  return { deliveryBoy, supplier };
}

/** A user with a password and the facets of its roles, signed in through the API. */
export async function createSignedInUser(
  server: TestServer,
  roles: Role[],
  options: { name?: string; email?: string; phone?: string; password?: string } = {},
) {
  const email = options.email ?? uniqueEmail(roles[0]?.toLowerCase() ?? 'user');
  const password = options.password ?? STRONG_PASSWORD;
  const hashed = await passwordHasher(server).hash(password);
  const name = options.name ?? `Test ${roles.join('+')}`;
  const created = await new IdentityRepository(server.database.prisma).createUserWithCustomer(
    server.database.prisma,
    {
      name,
      email,
      phone: options.phone ?? null,
      roles,
      passwordHash: hashed.hash,
      passwordScheme: 'BCRYPT_SHA256',
      customer: roles.includes('CUSTOMER') ? {} : null,
    },
    new Date(),
  );
  const { customer: _customer, ...user } = created;
  await createFacets(server.database.prisma, user.id, roles, { name });
  // Where only trusted documents run, the contract's Login (a trusted document); elsewhere a sign-in that
  // reads the tokens only, so that a user whose roles may not read their own fields still gets them.
  const document =
    server.app.config.TRUSTED_DOCUMENTS === 'only'
      ? persistedOperation('Login').body
      : `mutation($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { accessToken refreshToken } }`;
  const login = await server.gql(document, { identifier: email, password });
  if (!login.data) throw new Error(`login failed: ${JSON.stringify(login.errors)}`);
  return { user, email, password, token: login.data.login.accessToken as string, refreshToken: login.data.login.refreshToken as string };
}

/** A user with facets but no password, acting through sessions opened the way login opens them. */
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

let actorCounter = 0;

/** An access token of a new session, without the login throttle, valid at the server clock's current time. */
export async function tokenFor(server: TestServer, userId: string): Promise<string> {
  const now = server.clock.now();
  const { sessionId } = await server.app.services.sessions.open(server.database.prisma, userId, now, { userAgent: null, clientIp: '127.0.0.1' });
  return (await server.app.tokens.sign({ userId, sessionId }, now)).token;
}

/**
 * A user of these roles with its facets: many can be made, and the clock moved, without meeting the login
 * throttle or the 15-minute token lifetime.
 */
export async function makeActor(
  server: TestServer,
  roles: Role[],
  options: { name?: string; phone?: string | null; area?: string; address?: string; ratePerDeliveryPaise?: number; commissionRateBps?: number } = {},
): Promise<Actor> {
  actorCounter += 1;
  const db = server.database.prisma;
  const name = options.name ?? `${roles.join('+')} ${actorCounter}`;
  const phone = options.phone === undefined ? uniquePhone() : options.phone;
  const user = await new IdentityRepository(db).createUserWithCustomer(
    db,
    {
      name,
      email: uniqueEmail(roles[0].toLowerCase()),
      phone,
      roles,
      customer: roles.includes('CUSTOMER') ? { area: options.area ?? 'Koramangala', address: options.address ?? `${actorCounter} Main Road` } : null,
    },
    new Date(),
  );
  const { deliveryBoy, supplier } = await createFacets(db, user.id, roles, {
    name,
    ratePerDeliveryPaise: options.ratePerDeliveryPaise,
    commissionRateBps: options.commissionRateBps,
  });
  return {
    userId: user.id,
    name,
    phone,
    customerId: user.customer?.id ?? null,
    deliveryBoyId: deliveryBoy?.id ?? null,
    supplierId: supplier?.id ?? null,
    token: () => tokenFor(server, user.id),
  };
}

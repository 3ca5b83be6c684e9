// Small factories that make unique data, so tests never depend on each other.
import { randomInt } from 'node:crypto';
import type { Role } from '../../src/auth/roles.js';
import { persistedOperation } from './contract.js';
import type { TestServer } from './server.js';

let sequence = 0;

export function uniquePhone(): string {
  sequence += 1;
  return `+919${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(sequence % 1000).padStart(3, '0')}`;
}

export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}.${Date.now().toString(36)}.${sequence}@example.in`;
}

export const STRONG_PASSWORD = 'correct horse battery staple 42';

/** Creates a user straight in the database (the way `npm run user:create` does) and signs it in. */
export async function createSignedInUser(
  server: TestServer,
  roles: Role[],
  options: { name?: string; email?: string; phone?: string; password?: string } = {},
) {
  const email = options.email ?? uniqueEmail(roles[0]?.toLowerCase() ?? 'user');
  const password = options.password ?? STRONG_PASSWORD;
  const hashed = await (server.app.services as any).auth.deps.hasher.hash(password);
  const user = await server.database.prisma.user.create({
    data: { name: options.name ?? `Test ${roles.join('+')}`, email, phone: options.phone ?? null, roles, passwordHash: hashed.hash, passwordScheme: hashed.scheme },
  });
  if (roles.includes('CUSTOMER')) {
    await server.database.prisma.customer.create({ data: { userId: user.id, name: user.name, phone: user.phone, email } });
  }
  if (roles.includes('DELIVERY_BOY')) await server.database.prisma.deliveryBoy.create({ data: { userId: user.id } });
  if (roles.includes('SUPPLIER')) await server.database.prisma.supplier.create({ data: { userId: user.id, businessName: `${user.name} Dairy` } });
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

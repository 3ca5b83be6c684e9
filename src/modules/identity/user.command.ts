// `npm run user:create`: creates a user from the command line (the first admin), never over HTTP.
import { recordAudit } from '../audit/index.js';
import { parseArgs } from 'node:util';
import type { Role } from '../../auth/roles.js';
import { ALL_ROLES } from '../../auth/roles.js';
import type { Database } from '../../db/client.js';
import { AppError, badUserInput, conflict } from '../../shared/errors.js';
import { requireEmail, requirePhone } from '../../shared/identifiers.js';
import { recordSignup } from '../activation/index.js';
import { checkName } from './auth.service.js';
import { IdentityRepository } from './identity.repository.js';
import type { PasswordHasher } from './password.hasher.js';
import { checkPasswordPolicy } from './password.policy.js';

export interface CreateUserArguments {
  roles: Role[];
  name: string;
  email: string | null;
  phone: string | null;
  password: string;
}

export function parseCreateUserArguments(argv: string[]): CreateUserArguments {
  const { values } = parseArgs({
    args: argv,
    options: {
      role: { type: 'string', multiple: true },
      email: { type: 'string' },
      phone: { type: 'string' },
      password: { type: 'string' },
      name: { type: 'string' },
    },
    strict: true,
  });
  const roles = (values.role ?? []).flatMap((entry) => entry.split(',')).map((entry) => entry.trim().toUpperCase());
  if (roles.length === 0) throw badUserInput('--role', `is required (${ALL_ROLES.join(', ')})`);
  const unknown = roles.filter((role) => !ALL_ROLES.includes(role as Role));
  if (unknown.length > 0) throw badUserInput('--role', `unknown role ${unknown.join(', ')}`);
  if (!values.password) throw badUserInput('--password', 'is required');
  const email = values.email ? requireEmail('--email', values.email) : null;
  const phone = values.phone ? requirePhone('--phone', values.phone) : null;
  if (!email && !phone) throw badUserInput('--email', 'give --email or --phone');
  const name = checkName('--name', values.name ?? (email ? email.split('@')[0] : 'Administrator'));
  checkPasswordPolicy('--password', values.password, { email, phone });
  return { roles: roles as Role[], name, email, phone, password: values.password };
}

export async function createUserFromCommandLine(db: Database, hasher: PasswordHasher, input: CreateUserArguments, now: Date) {
  const users = new IdentityRepository(db);
  if (await users.isContactTaken(input)) throw conflict('a user with this email or phone exists');
  const password = await hasher.hash(input.password);
  return db.$transaction(async (tx) => {
    const user = await users.createUserWithCustomer(
      tx,
      { ...input, passwordHash: password.hash, passwordScheme: 'BCRYPT_SHA256', customer: input.roles.includes('CUSTOMER') ? {} : null },
      now,
    );
    if (user.customer) await recordSignup(tx, user.customer, now, 'register');
    if (input.roles.includes('DELIVERY_BOY')) await users.createDeliveryBoy(tx, user.id);
    if (input.roles.includes('SUPPLIER')) await users.createSupplier(tx, user.id, input.name);
    await recordAudit(tx, {
      actorId: null,
      targetUserId: user.id,
      action: 'user.create-cli',
      subject: { type: 'User', id: user.id },
      before: null,
      after: { name: input.name, roles: input.roles },
      at: now,
    });
    return user;
  });
}

export function describeCommandError(error: unknown): string | null {
  if (error instanceof AppError) return error.message;
  return null;
}

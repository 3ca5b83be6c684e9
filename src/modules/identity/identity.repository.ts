// Users and password resets: the only writer of User and PasswordResetToken. An account's facets are other
// modules' rows (Customer, DeliveryBoy, Supplier): they are created and read through the owners'
// repositories, in the caller's transaction; only the statements that must bring a user with its facets in
// one round trip (the session check, the user list) join those tables here.
// Identity's other tables have repositories of their own: session.repository.ts (Session, RefreshToken),
// otp.repository.ts (OtpChallenge), attempt-counter.repository.ts (LoginCounter) and
// second-factor.repository.ts (SecondFactor, RecoveryCode, SecondFactorChallenge, Passkey).
import type { Database, DatabaseClient } from '../../db/client.js';
import { readTablePage, type SortColumn } from '../../db/keyset.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type Customer, type DeliveryBoy, type Supplier, type User } from '../../generated/prisma/client.js';
import type { PaymentFrequency, UserStatus } from '../../generated/prisma/enums.js';
import type { PageRequest } from '../../shared/pagination.js';
import { reviveDates } from '../../db/json-rows.js';
import type { Role } from '../../auth/roles.js';
import type { Identifier } from '../../shared/identifiers.js';
import { CUSTOMER_DATES, CustomerRepository } from '../customers/index.js';
import { DELIVERY_BOY_DATES, DeliveryRepository } from '../delivery/index.js';
import { SUPPLIER_DATES, SupplierRepository } from '../suppliers/index.js';

export const USER_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'uuid' },
];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A user row as the ORM gives it, with its facets (null where the user has none). */
export type UserWithFacets = User & { customer: Customer | null; deliveryBoy: DeliveryBoy | null; supplier: Supplier | null };

/** The DateTime columns of a user row (test/unit/json-row-dates.test.ts holds them to schema.prisma). */
export const USER_DATES = ['createdAt', 'updatedAt'] as const;

/**
 * The columns of a user row as the ORM gives it (enums as text) and its facets as JSON rows, over
 * `"User" u` and USER_FACET_JOINS: nearly every read of a user goes on to its facets, and the session
 * check reads them anyway. Rows read with these go through `reviveFacets`.
 */
export const USER_WITH_FACETS_COLUMNS = Prisma.sql`
  u."id", u."name", u."email", u."phone", u."passwordHash", u."passwordScheme"::text AS "passwordScheme",
  u."roles"::text[] AS "roles", u."status"::text AS "status", u."legacyIds", u."createdAt", u."updatedAt",
  to_jsonb(c) AS "customer", to_jsonb(d) AS "deliveryBoy", to_jsonb(s) AS "supplier"`;

export const USER_FACET_JOINS = Prisma.sql`
  LEFT JOIN "Customer" c ON c."userId" = u."id"
  LEFT JOIN "DeliveryBoy" d ON d."userId" = u."id"
  LEFT JOIN "Supplier" s ON s."userId" = u."id"`;

/** The facets' timestamps arrive as JSON strings: the same Date values the ORM gives. */
export function reviveFacets(row: UserWithFacets): UserWithFacets {
  if (row.customer) reviveDates(row.customer, CUSTOMER_DATES);
  if (row.deliveryBoy) reviveDates(row.deliveryBoy, DELIVERY_BOY_DATES);
  if (row.supplier) reviveDates(row.supplier, SUPPLIER_DATES);
  return row;
}

/** Which users a list holds: of a role, of a stored status, matching a search (each part as it is compared). */
export interface UserListScope {
  role: Role | null;
  status: UserStatus | null;
  search: { name: string; email: string; phone: string } | null;
}

export class IdentityRepository {
  /** The owners of the facet tables. */
  private readonly facets: { customers: CustomerRepository; deliveryBoys: DeliveryRepository; suppliers: SupplierRepository };

  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {
    this.facets = {
      customers: new CustomerRepository(db, reads),
      deliveryBoys: new DeliveryRepository(db, reads),
      suppliers: new SupplierRepository(db, reads),
    };
  }

  /** Users with their customer, delivery-boy and supplier facets in one read (four with the ORM). */
  async usersWithFacets(ids: readonly string[]): Promise<UserWithFacets[]> {
    const rows = await this.reads.rows<UserWithFacets>(
      Prisma.sql`SELECT ${USER_WITH_FACETS_COLUMNS} FROM "User" u ${USER_FACET_JOINS} WHERE u."id" = ANY(${[...ids]}::uuid[])`,
      USER_DATES,
    );
    return rows.map(reviveFacets);
  }

  findUserByIdentifier(identifier: Identifier) {
    return this.db.user.findUnique({
      where: identifier.kind === 'email' ? { email: identifier.value } : { phone: identifier.value },
    });
  }

  /** A malformed id names no user: it never reaches the `uuid` column, where it would be a database error. */
  async findUserById(id: string) {
    if (!UUID.test(id)) return null;
    return this.db.user.findUnique({ where: { id } });
  }

  /** Whether any user or customer already holds this phone or email. */
  async isContactTaken(contact: { email?: string | null; phone?: string | null }, db: DatabaseClient = this.db) {
    const userMatches: Prisma.UserWhereInput[] = [];
    const customerMatches: Prisma.CustomerWhereInput[] = [];
    if (contact.email) {
      userMatches.push({ email: contact.email });
      customerMatches.push({ email: contact.email });
    }
    if (contact.phone) {
      userMatches.push({ phone: contact.phone });
      customerMatches.push({ phone: contact.phone });
    }
    if (userMatches.length === 0) return false;
    const [users, customers] = await Promise.all([db.user.count({ where: { OR: userMatches } }), db.customer.count({ where: { OR: customerMatches } })]);
    return users + customers > 0;
  }

  async createUserWithCustomer(
    db: DatabaseClient,
    data: {
      name: string;
      email: string | null;
      phone: string | null;
      roles: Role[];
      passwordHash?: string;
      passwordScheme?: 'BCRYPT_SHA256';
      customer: { address?: string | null; area?: string | null; signedUpById?: string | null } | null;
    },
    now: Date,
  ): Promise<User & { customer: Customer | null }> {
    const user = await db.user.create({
      data: {
        name: data.name,
        email: data.email,
        phone: data.phone,
        roles: data.roles,
        passwordHash: data.passwordHash ?? null,
        passwordScheme: data.passwordScheme ?? null,
        createdAt: now,
      },
    });
    const customer = data.customer
      ? await this.facets.customers.createForUser(db, user.id, { name: data.name, phone: data.phone, email: data.email, ...data.customer }, now)
      : null;
    return { ...user, customer };
  }

  updatePassword(db: DatabaseClient, userId: string, hash: string, scheme: 'BCRYPT_SHA256') {
    return db.user.update({ where: { id: userId }, data: { passwordHash: hash, passwordScheme: scheme } });
  }

  /** Ends every unused reset token of the user: a new password makes the links sent for the old one void. */
  endPasswordResetTokens(db: DatabaseClient, userId: string, now: Date) {
    return db.passwordResetToken.updateMany({ where: { userId, usedAt: null }, data: { usedAt: now } });
  }

  countPasswordResetTokensSince(db: DatabaseClient, userId: string, since: Date): Promise<number> {
    return db.passwordResetToken.count({ where: { userId, createdAt: { gt: since } } });
  }

  /** Serialises reset requests for one account across instances, until the transaction ends. */
  async lockPasswordResetsOf(tx: DatabaseClient, userId: string): Promise<void> {
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`password-reset:${userId}`}))`;
  }

  createPasswordResetToken(tx: DatabaseClient, data: { userId: string; tokenHash: string; expiresAt: Date; createdAt: Date }) {
    return tx.passwordResetToken.create({ data: { userId: data.userId, tokenHash: data.tokenHash, expiresAt: data.expiresAt, createdAt: data.createdAt } });
  }

  findPasswordResetToken(tokenHash: string) {
    return this.db.passwordResetToken.findUnique({ where: { tokenHash }, include: { user: true } });
  }

  /** Spends a reset token once; false when it was already used. */
  async consumePasswordResetToken(tx: DatabaseClient, id: string, now: Date): Promise<boolean> {
    const consumed = await tx.passwordResetToken.updateMany({ where: { id, usedAt: null }, data: { usedAt: now } });
    return consumed.count > 0;
  }

  findCustomerByPhone(phone: string) {
    return this.facets.customers.findByPhoneWithUser(phone);
  }

  /** The login of a customer made without one (imported, or by marketing staff), claimed by its phone. */
  claimCustomerLogin(customer: { userId: string; user: { phone: string | null; roles: Role[] } }, phone: string) {
    return this.db.user.update({
      where: { id: customer.userId },
      data: {
        phone: customer.user.phone ?? phone,
        roles: customer.user.roles.includes('CUSTOMER') ? undefined : { push: 'CUSTOMER' },
      },
    });
  }

  customersOfUsers(userIds: readonly string[]) {
    return this.facets.customers.findByUserIds(userIds);
  }

  deliveryBoysOfUsers(userIds: readonly string[]) {
    return this.facets.deliveryBoys.findByUserIds(userIds);
  }

  suppliersOfUsers(userIds: readonly string[]) {
    return this.facets.suppliers.findByUserIds(userIds);
  }

  findCustomerOfUser(db: DatabaseClient, userId: string) {
    return this.facets.customers.findByUserIdIn(db, userId);
  }

  /** The customer facet of an existing user, from the user's own name and contact. */
  createCustomerOf(db: DatabaseClient, userId: string, user: { name: string; phone: string | null; email: string | null }, now: Date) {
    return this.facets.customers.createForUser(db, userId, user, now);
  }

  createDeliveryBoy(db: DatabaseClient, userId: string) {
    return this.facets.deliveryBoys.createForUser(db, userId);
  }

  createSupplier(db: DatabaseClient, userId: string, businessName: string) {
    return this.facets.suppliers.createForUser(db, userId, businessName);
  }

  /** The delivery-boy facet, created with these details unless the user has one (which is kept as it is). */
  ensureDeliveryBoy(db: DatabaseClient, userId: string, details: { ratePerDeliveryPaise: number; paymentFrequency: PaymentFrequency; area: string | null }) {
    return this.facets.deliveryBoys.ensureForUser(db, userId, details);
  }

  /** The supplier facet, created with these details unless the user has one (which is kept as it is). */
  ensureSupplier(db: DatabaseClient, userId: string, details: { businessName: string; commissionRateBps: number }) {
    return this.facets.suppliers.ensureForUser(db, userId, details);
  }

  setRoles(db: DatabaseClient, userId: string, roles: Role[]) {
    return db.user.update({ where: { id: userId }, data: { roles } });
  }

  setStatus(db: DatabaseClient, userId: string, status: UserStatus) {
    return db.user.update({ where: { id: userId }, data: { status } });
  }

  /**
   * Up to `size + 1` users in reading order (reverse for a backward page), and the count of the whole list,
   * in one statement. A search matches a part of the name (any case), the email or the phone, literally.
   */
  listPage(scope: UserListScope, request: PageRequest) {
    const conditions: Prisma.Sql[] = [];
    if (scope.role) conditions.push(Prisma.sql`${scope.role}::"Role" = ANY(t."roles")`);
    if (scope.status) conditions.push(Prisma.sql`t."status" = ${scope.status}::"UserStatus"`);
    if (scope.search) {
      const like = (text: string) => `%${text.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
      conditions.push(
        Prisma.sql`(t."name" ILIKE ${like(scope.search.name)} OR t."email" LIKE ${like(scope.search.email)} OR t."phone" LIKE ${like(scope.search.phone)})`,
      );
    }
    return readTablePage(this.reads, 'User', USER_ORDER, request, conditions, (row: User) => reviveDates(row, USER_DATES));
  }
}

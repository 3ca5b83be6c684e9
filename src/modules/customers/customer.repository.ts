// The only Prisma caller for customers.
import type { Database, DatabaseClient } from '../../db/client.js';
import { reviveDates } from '../../db/json-rows.js';
import { readTablePage, type SortColumn } from '../../db/keyset.js';
import type { ActivationStatus } from '../../generated/prisma/enums.js';
import { ReadBatch } from '../../db/read-batch.js';
import { Prisma, type Customer } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../shared/pagination.js';

export const CUSTOMER_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'uuid' },
];

/** The DateTime columns of a customer row (test/unit/json-row-dates.test.ts holds them to schema.prisma). */
export const CUSTOMER_DATES = [
  'signupAt',
  'firstOrderAt',
  'firstDeliveryAt',
  'lastOrderAt',
  'churnedAt',
  'firstContactAt',
  'firstCallAt',
  'lastContactAt',
  'archivedAt',
  'marketingConsentAt',
  'createdAt',
  'updatedAt',
] as const;

/** A customer row read as JSON (another module's statement may bring it): the Date values the ORM would give. */
export function customerFromJson(row: Customer): Customer {
  return reviveDates(row, CUSTOMER_DATES);
}

/** Which live customers a list holds: none, or those whose columns equal these (each delivery boy id given). */
export interface CustomerListScope {
  none: boolean;
  deliveryBoyIds: string[];
  activationStatus: ActivationStatus | null;
  phone: string | null;
  area: string | null;
}

export class CustomerRepository {
  constructor(
    private readonly db: Database,
    private readonly reads = new ReadBatch(db),
  ) {}

  /**
   * Up to `size + 1` live customers (neither archived nor merged) in reading order (reverse for a backward
   * page), and the count of the whole list, in one statement.
   */
  listPage(scope: CustomerListScope, request: PageRequest) {
    const conditions = [Prisma.sql`t."archivedAt" IS NULL`, Prisma.sql`t."mergedIntoId" IS NULL`];
    if (scope.none) conditions.push(Prisma.sql`FALSE`);
    for (const id of scope.deliveryBoyIds) conditions.push(Prisma.sql`t."deliveryBoyId" = ${id}::uuid`);
    if (scope.activationStatus) conditions.push(Prisma.sql`t."activationStatus" = ${scope.activationStatus}::"ActivationStatus"`);
    if (scope.phone) conditions.push(Prisma.sql`t."phone" = ${scope.phone}`);
    if (scope.area) conditions.push(Prisma.sql`t."area" = ${scope.area}`);
    return readTablePage(this.reads, 'Customer', CUSTOMER_ORDER, request, conditions, customerFromJson);
  }

  /** Read with the request's other reads of its wave. */
  async findByIds(ids: readonly string[]): Promise<Customer[]> {
    return this.reads.rows<Customer>(Prisma.sql`SELECT * FROM "Customer" WHERE "id" = ANY(${[...ids]}::uuid[])`, CUSTOMER_DATES);
  }

  findById(id: string) {
    return this.db.customer.findUnique({ where: { id } });
  }

  /** Sets the consent; its time moves only when the value changes, so a repeated answer keeps the first. */
  async setMarketingConsent(id: string, consent: boolean, at: Date) {
    await this.db.customer.updateMany({
      where: { id, marketingConsent: !consent },
      data: { marketingConsent: consent, marketingConsentAt: at },
    });
    return this.db.customer.findUnique({ where: { id } });
  }

  async isPhoneTaken(phone: string) {
    const [users, customers] = await Promise.all([this.db.user.count({ where: { phone } }), this.db.customer.count({ where: { phone } })]);
    return users + customers > 0;
  }

  /** The customer facet of a user (identity creates the user and asks for its facet in the same transaction). */
  createForUser(
    db: DatabaseClient,
    userId: string,
    data: { name: string; phone: string | null; email: string | null; address?: string | null; area?: string | null; signedUpById?: string | null },
    now: Date,
  ) {
    return db.customer.create({
      data: {
        userId,
        name: data.name,
        phone: data.phone,
        email: data.email,
        address: data.address ?? null,
        area: data.area ?? null,
        signedUpById: data.signedUpById ?? null,
        signupAt: now,
        createdAt: now,
      },
    });
  }

  async findByUserIds(userIds: readonly string[]): Promise<Customer[]> {
    return this.reads.rows<Customer>(Prisma.sql`SELECT * FROM "Customer" WHERE "userId" = ANY(${[...userIds]}::uuid[])`, CUSTOMER_DATES);
  }

  findByUserIdIn(db: DatabaseClient, userId: string) {
    return db.customer.findUnique({ where: { userId } });
  }

  /** The customer holding this phone, with its user (a login-less customer's claim by OTP). */
  findByPhoneWithUser(phone: string) {
    return this.db.customer.findUnique({ where: { phone }, include: { user: true } });
  }

  /** The customer moves to the delivery boy (its running subscriptions move through the orders module). */
  assignDeliveryBoy(db: DatabaseClient, customerId: string, deliveryBoyId: string) {
    return db.customer.update({ where: { id: customerId }, data: { deliveryBoyId } });
  }

  /** The customer row as it is inside the caller's transaction; null when there is none. */
  findByIdIn(db: DatabaseClient, id: string) {
    return db.customer.findUnique({ where: { id } });
  }

  /** The customer row inside the caller's transaction, which must exist (an order's customer). */
  findByIdOrThrowIn(db: DatabaseClient, id: string) {
    return db.customer.findUniqueOrThrow({ where: { id } });
  }

  /** The customer's user (null for a customer without a login). */
  async userIdOf(customerId: string): Promise<string | null> {
    return (await this.db.customer.findUnique({ where: { id: customerId }, select: { userId: true } }))?.userId ?? null;
  }

  setWhatsappOptIn(db: DatabaseClient, customerId: string, optIn: boolean) {
    return db.customer.update({ where: { id: customerId }, data: { whatsappOptIn: optIn } });
  }
}

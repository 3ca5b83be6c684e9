// The only Prisma caller for customers.
import type { Database, DatabaseClient } from '../../db/client.js';
import { keysetOrderBy, pageWhere, type SortColumn } from '../../db/keyset.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../shared/pagination.js';

export const CUSTOMER_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'asc', kind: 'date' },
  { field: 'id', direction: 'asc', kind: 'uuid' },
];

export class CustomerRepository {
  constructor(private readonly db: Database) {}

  /** Up to `size + 1` rows in reading order (reverse for a backward page), and the count of the whole list. */
  async listPage(where: Prisma.CustomerWhereInput, request: PageRequest) {
    const [rows, totalCount] = await Promise.all([
      this.db.customer.findMany({
        where: { AND: [where, ...pageWhere(CUSTOMER_ORDER, request)] },
        orderBy: keysetOrderBy(CUSTOMER_ORDER, request.backward),
        take: request.size + 1,
      }),
      this.db.customer.count({ where }),
    ]);
    return { rows, totalCount };
  }

  findByIds(ids: readonly string[]) {
    return this.db.customer.findMany({ where: { id: { in: [...ids] } } });
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

  findByUserIds(userIds: readonly string[]) {
    return this.db.customer.findMany({ where: { userId: { in: [...userIds] } } });
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

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
    const [users, customers] = await Promise.all([
      this.db.user.count({ where: { phone } }),
      this.db.customer.count({ where: { phone } }),
    ]);
    return users + customers > 0;
  }

  /** A login-less user holding the customer facet: the customer claims it later by proving the phone (OTP). */
  async createWithUser(
    db: DatabaseClient,
    data: { name: string; phone: string; address: string | null; area: string | null; signedUpById: string; at: Date },
  ) {
    const user = await db.user.create({
      data: {
        name: data.name,
        phone: data.phone,
        roles: ['CUSTOMER'],
        createdAt: data.at,
        customer: {
          create: {
            name: data.name,
            phone: data.phone,
            address: data.address,
            area: data.area,
            signedUpById: data.signedUpById,
            signupAt: data.at,
            createdAt: data.at,
          },
        },
      },
      include: { customer: true },
    });
    return user.customer!;
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

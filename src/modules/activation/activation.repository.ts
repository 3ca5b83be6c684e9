// Prisma access for customer lookups, contact logging and activation history.
import type { Database, DatabaseClient } from '../../db/client.js';
import type { ContactKind } from '../../generated/prisma/enums.js';

export class ActivationRepository {
  constructor(private readonly db: Database) {}

  findCustomer(id: string) {
    return this.db.customer.findUnique({ where: { id } });
  }

  /**
   * Logs one contact and stamps the customer in the same transaction. The COALESCEs run in the UPDATE
   * itself, so two staff logging their first call at the same moment cannot both set firstCallAt.
   */
  /** `alongside` runs in the same transaction once the contact is written (its audit entry). */
  async recordContact(
    input: { customerId: string; staffUserId: string; kind: ContactKind; note: string | null; at: Date },
    alongside: (tx: DatabaseClient, contact: { id: string }, customer: { userId: string }) => Promise<void>,
  ) {
    return this.db.$transaction(async (tx) => {
      const updated = await tx.$executeRaw`
        UPDATE "Customer"
        SET "firstContactAt" = COALESCE("firstContactAt", ${input.at}),
            "firstCallAt" = CASE WHEN ${input.kind} = 'CALL' THEN COALESCE("firstCallAt", ${input.at}) ELSE "firstCallAt" END,
            "lastContactAt" = ${input.at},
            "updatedAt" = ${input.at}
        WHERE "id" = ${input.customerId}::uuid`;
      if (updated === 0) return null;
      const contact = await tx.customerContact.create({
        data: { customerId: input.customerId, staffUserId: input.staffUserId, kind: input.kind, note: input.note, at: input.at },
        select: { id: true },
      });
      const customer = await tx.customer.findUniqueOrThrow({ where: { id: input.customerId } });
      await alongside(tx, contact, customer);
      return customer;
    });
  }

  activationEventsFor(customerIds: readonly string[]) {
    return this.db.activationEvent.findMany({
      where: { customerId: { in: [...customerIds] } },
      orderBy: [{ at: 'asc' }, { createdAt: 'asc' }, { id: 'asc' }],
    });
  }
}

// The statements of the activation transitions (activation.transitions.ts): the only writer of
// ActivationEvent and of the activation columns of Customer (activationStatus, signupAt, firstOrderAt,
// lastOrderAt, firstDeliveryAt, onboardingCompleted, churnedAt) besides the inactivity sweep's repository.
// Every function runs on the client it is given: the caller's transaction.
import type { DatabaseClient } from '../../db/client.js';
import type { ActivationStatus } from '../../generated/prisma/enums.js';

interface ActivationEventRow {
  customerId: string;
  fromStatus: ActivationStatus | null;
  toStatus: ActivationStatus;
  at: Date;
  reason: string;
  dedupeKey: string;
}

interface StatusChange {
  before: ActivationStatus;
  after: ActivationStatus;
  firstOrderBefore: Date | null;
}

/** Adds the event unless one with its dedupe key exists; returns whether it was added. */
export async function addActivationEvent(db: DatabaseClient, event: ActivationEventRow): Promise<boolean> {
  const added = await db.activationEvent.createMany({ data: [event], skipDuplicates: true });
  return added.count === 1;
}

/** The customer starts as NEW at `at`. */
export async function markSignedUp(db: DatabaseClient, customerId: string, at: Date): Promise<void> {
  await db.customer.update({ where: { id: customerId }, data: { activationStatus: 'NEW', signupAt: at } });
}

/**
 * An order at `at`: lastOrderAt forward, firstOrderAt once, NEW → ONBOARDED, INACTIVE → ACTIVE (churnedAt
 * cleared). The row is locked and read in the same statement that changes it: FOR NO KEY UPDATE, because
 * inserting the order already holds KEY SHARE on the customer (foreign key) and FOR UPDATE would deadlock
 * two concurrent orders of one customer against each other.
 */
export async function applyOrderPlaced(db: DatabaseClient, customerId: string, at: Date): Promise<StatusChange | undefined> {
  const [change] = await db.$queryRaw<StatusChange[]>`
    UPDATE "Customer" AS customer
    SET "lastOrderAt" = GREATEST(customer."lastOrderAt", ${at}),
        "firstOrderAt" = COALESCE(customer."firstOrderAt", ${at}),
        "activationStatus" = CASE customer."activationStatus"
          WHEN 'NEW' THEN 'ONBOARDED'::"ActivationStatus"
          WHEN 'INACTIVE' THEN 'ACTIVE'::"ActivationStatus"
          ELSE customer."activationStatus" END,
        "churnedAt" = CASE WHEN customer."activationStatus" = 'INACTIVE' THEN NULL ELSE customer."churnedAt" END
    FROM (SELECT "id", "activationStatus", "firstOrderAt" FROM "Customer" WHERE "id" = ${customerId}::uuid FOR NO KEY UPDATE) AS previous
    WHERE customer."id" = previous."id"
    RETURNING previous."activationStatus"::text AS "before", customer."activationStatus"::text AS "after",
      previous."firstOrderAt" AS "firstOrderBefore"`;
  return change;
}

/** The first delivery: firstDeliveryAt, onboardingCompleted and ACTIVE; undefined when it was not the first. */
export async function applyFirstDelivery(
  db: DatabaseClient,
  customerId: string,
  deliveredAt: Date,
): Promise<Omit<StatusChange, 'firstOrderBefore'> | undefined> {
  const [change] = await db.$queryRaw<Omit<StatusChange, 'firstOrderBefore'>[]>`
    UPDATE "Customer" AS customer
    SET "firstDeliveryAt" = ${deliveredAt}, "onboardingCompleted" = true,
        "activationStatus" = 'ACTIVE', "churnedAt" = NULL
    FROM (SELECT "id", "activationStatus" FROM "Customer" WHERE "id" = ${customerId}::uuid FOR NO KEY UPDATE) AS previous
    WHERE customer."id" = previous."id" AND customer."firstDeliveryAt" IS NULL
    RETURNING previous."activationStatus"::text AS "before", customer."activationStatus"::text AS "after"`;
  return change;
}

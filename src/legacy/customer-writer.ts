// Writes customers with their activation event, and subscriptions. Customers that are not merges go in
// batches; each merge is its own transaction holding the survivor, the links of every merged record, the
// merge log with the before-images, and the subscriptions that moved to the survivor (SPEC §9 step 2).
import type { Prisma } from '../generated/prisma/client.js';
// The write alone, not the module's index: the command-line tools run without the schema's decorators.
import { recordAudit } from '../modules/audit/audit.repository.js';
import { stateBeganAt } from './activation-derivation.js';
import type { PlannedCustomer, PlannedSubscription } from './import-plan.js';
import { linkKeyText } from './import-plan.js';
import type { NewLinks } from './identity-writer.js';
import { dateColumn } from './value-coercion.js';
import { documentJson, fillOnlyPatch, linkRow, type LinkMap, uuidV7 } from './writer-support.js';

type Transaction = Prisma.TransactionClient;

export interface CustomerResolvers {
  /** linkKeyText of the delivery boy a customers_v2 delivery_boy_id names, or null. */
  deliveryBoyKey(reference: string | null): string | null;
  /** linkKeyText of the user a marketing_boy_id names, or null. */
  userKey(reference: string | null): string | null;
}

const ACTIVATION_EVENT_REASON = 'legacy-import';

function activationDedupeKey(customer: PlannedCustomer): string {
  return `legacy-import:${linkKeyText(customer.key)}`;
}

function customerData(customer: PlannedCustomer, links: LinkMap, resolvers: CustomerResolvers) {
  const activation = customer.activation;
  if (activation === null) throw new Error(`legacy import: no activation derived for ${linkKeyText(customer.key)}`);
  const source = customer.merged;
  const user = customer.fromUser;
  return {
    userId: links.require(customer.userKey),
    name: source?.name ?? user?.name ?? '',
    phone: customer.phone,
    email: customer.email,
    address: source?.address ?? null,
    area: source?.area ?? null,
    location: source?.location ?? undefined,
    billingStatus: source?.billingStatus ?? null,
    activationStatus: activation.status,
    signupAt: activation.signupAt,
    firstOrderAt: activation.firstOrderAt,
    firstDeliveryAt: activation.firstDeliveryAt,
    lastOrderAt: activation.lastOrderAt,
    churnedAt: activation.churnedAt,
    onboardingCompleted: activation.onboardingCompleted,
    deliveryBoyId: links.get(resolvers.deliveryBoyKey(source?.deliveryBoyRef ?? null)) ?? null,
    signedUpById: links.get(resolvers.userKey(source?.marketingUserRef ?? null)) ?? null,
    legacyIds: customer.memberIds,
  };
}

/** The customer's link key and the links of every merged record (they all name the survivor row). */
function customerLinkKeys(customer: PlannedCustomer) {
  if (customer.memberIds.length === 0) return [customer.key];
  return customer.memberIds.map((legacyId) => ({ collection: 'customers_v2' as const, legacyId }));
}

/** The row a customer already became, found through the link of any of its records. */
function existingCustomerId(customer: PlannedCustomer, links: LinkMap): string | undefined {
  for (const key of customerLinkKeys(customer)) {
    const id = links.get(linkKeyText(key));
    if (id !== undefined) return id;
  }
  return undefined;
}

export async function writeCustomers(tx: Transaction, batch: PlannedCustomer[], links: LinkMap, resolvers: CustomerResolvers): Promise<NewLinks> {
  const existingIds = batch.map((customer) => existingCustomerId(customer, links)).filter((id): id is string => id !== undefined);
  const existing = new Map((await tx.customer.findMany({ where: { id: { in: existingIds } } })).map((row) => [row.id, row]));
  const creates: Prisma.CustomerCreateManyInput[] = [];
  const events: Prisma.ActivationEventCreateManyInput[] = [];
  const linkRows: Prisma.LegacyLinkCreateManyInput[] = [];
  const newLinks: NewLinks = [];
  for (const customer of batch) {
    const data = customerData(customer, links, resolvers);
    const id = existingCustomerId(customer, links);
    const row = id === undefined ? undefined : existing.get(id);
    let customerId: string;
    if (id !== undefined && row !== undefined) {
      customerId = id;
      // Activation belongs to the live system after the first import: never re-derived over it.
      const { activationStatus, onboardingCompleted, signupAt, ...fillable } = data;
      const patch = fillOnlyPatch(row, fillable, ['legacyIds']);
      if (Object.keys(patch).length > 0) await tx.customer.update({ where: { id }, data: patch });
    } else {
      customerId = id ?? uuidV7();
      const createdAt = customer.merged?.createdAt ?? customer.fromUser?.createdAt;
      creates.push({ id: customerId, ...data, ...(createdAt ? { createdAt } : {}) });
      const activation = customer.activation as NonNullable<PlannedCustomer['activation']>;
      events.push({
        customerId,
        fromStatus: null,
        toStatus: activation.status,
        at: stateBeganAt(activation),
        reason: ACTIVATION_EVENT_REASON,
        dedupeKey: activationDedupeKey(customer),
      });
    }
    for (const key of customerLinkKeys(customer)) {
      if (links.get(linkKeyText(key)) !== undefined) continue;
      linkRows.push(linkRow(key, 'Customer', customerId));
      newLinks.push([linkKeyText(key), customerId]);
    }
  }
  if (creates.length > 0) await tx.customer.createMany({ data: creates });
  if (events.length > 0) await tx.activationEvent.createMany({ data: events, skipDuplicates: true });
  if (linkRows.length > 0) await tx.legacyLink.createMany({ data: linkRows });
  return newLinks;
}

/** The merge log of one merge: what each merged record looked like, and the subscriptions that moved. */
export async function writeMergeLog(tx: Transaction, customer: PlannedCustomer, subscriptions: PlannedSubscription[], customerId: string): Promise<void> {
  const [survivor, ...merged] = customer.members;
  const moved = subscriptions.filter(
    (subscription) => subscription.legacy.customerRef !== survivor.id && subscription.legacy.customerRef !== survivor.objectId,
  );
  const logged = await tx.mergeLog.createMany({
    data: [
      {
        survivorLegacyId: survivor.id,
        survivorCustomerId: customerId,
        mergedLegacyIds: merged.map((member) => member.id),
        beforeImages: {
          customers: customer.members.map((member) => documentJson(member.document)),
          movedSubscriptions: moved.map((subscription) => ({ id: subscription.legacy.id, customer_id: subscription.legacy.customerRef })),
        },
      },
    ],
    skipDuplicates: true,
  });
  // Once per merge: a re-run finds the merge logged and records nothing again.
  if (logged.count === 0) return;
  const survivorRow = await tx.customer.findUniqueOrThrow({ where: { id: customerId }, select: { userId: true } });
  await recordAudit(tx, {
    actorId: null,
    targetUserId: survivorRow.userId,
    action: 'customer.merge',
    subject: { type: 'Customer', id: customerId },
    before: { legacyCustomerIds: customer.members.map((member) => member.id) },
    after: { survivorLegacyId: survivor.id, mergedLegacyIds: merged.map((member) => member.id), movedSubscriptions: moved.length },
    at: new Date(),
  });
}

export async function writeSubscriptions(tx: Transaction, batch: PlannedSubscription[], links: LinkMap): Promise<void> {
  const legacyIds = batch.map((subscription) => subscription.legacy.id);
  const existing = new Set((await tx.subscription.findMany({ where: { legacyId: { in: legacyIds } }, select: { legacyId: true } })).map((row) => row.legacyId));
  const creates: Prisma.SubscriptionCreateManyInput[] = batch
    .filter((subscription) => !existing.has(subscription.legacy.id))
    .map(({ legacy, customerKey, productLegacyId, deliveryBoyKey, startDate }) => ({
      id: uuidV7(),
      customerId: links.require(customerKey),
      productId: links.require(linkKeyText({ collection: 'products', legacyId: productLegacyId })),
      quantity: legacy.quantity,
      pattern: legacy.pattern,
      weekdays: legacy.weekdays,
      shift: legacy.shift,
      status: legacy.status,
      startDate: dateColumn(startDate),
      stopDate: legacy.stopDate ? dateColumn(legacy.stopDate) : null,
      deliveryBoyId: links.get(deliveryBoyKey) ?? null,
      pricePerUnitPaise: legacy.pricePerUnitPaise,
      legacyId: legacy.id,
      ...(legacy.createdAt ? { createdAt: legacy.createdAt } : {}),
    }));
  if (creates.length > 0) await tx.subscription.createMany({ data: creates });
}

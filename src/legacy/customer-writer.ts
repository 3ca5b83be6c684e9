// Writes customers with their activation event, and subscriptions. Customers that are not merges go in
// batches; each merge is its own transaction holding the survivor, the links of every merged record, the
// merge log with the before-images, and the subscriptions that moved to the survivor (SPEC §9 step 2).
import type { Prisma } from '../generated/prisma/client.js';
// The write alone, not the module's index: the command-line tools run without the schema's decorators.
import { recordAudit } from '../modules/audit/audit.repository.js';
import { stateBeganAt } from './activation-derivation.js';
import type { RawDocument } from './export-reader.js';
import type { PlannedCustomer, PlannedSubscription } from './import-plan.js';
import { linkKeyText } from './import-plan.js';
import type { NewLinks } from './identity-writer.js';
import { dateColumn, dateColumnText } from './value-coercion.js';
import { insertRows } from './unnest-insert.js';
import { documentJson, fillOnlyPatch, insertLinks, linkRow, type LinkMap, uuidV7 } from './writer-support.js';

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

const CUSTOMER_COLUMNS = {
  id: 'uuid',
  userId: 'uuid',
  name: 'text',
  phone: 'text',
  email: 'text',
  address: 'text',
  area: 'text',
  location: 'jsonb',
  billingStatus: 'text',
  activationStatus: '"ActivationStatus"',
  signupAt: 'timestamptz',
  firstOrderAt: 'timestamptz',
  firstDeliveryAt: 'timestamptz',
  lastOrderAt: 'timestamptz',
  churnedAt: 'timestamptz',
  onboardingCompleted: 'boolean',
  deliveryBoyId: 'uuid',
  signedUpById: 'uuid',
  legacyIds: 'text[]',
  createdAt: 'timestamptz',
} as const;

const EVENT_COLUMNS = {
  id: 'uuid',
  customerId: 'uuid',
  fromStatus: '"ActivationStatus"',
  toStatus: '"ActivationStatus"',
  at: 'timestamptz',
  reason: 'text',
  dedupeKey: 'text',
} as const;

export async function writeCustomers(tx: Transaction, batch: PlannedCustomer[], links: LinkMap, resolvers: CustomerResolvers): Promise<NewLinks> {
  const existingIds = batch.map((customer) => existingCustomerId(customer, links)).filter((id): id is string => id !== undefined);
  const existing = new Map(existingIds.length === 0 ? [] : (await tx.customer.findMany({ where: { id: { in: existingIds } } })).map((row) => [row.id, row]));
  const creates: Array<ReturnType<typeof customerData> & { id: string; createdAt: Date | null }> = [];
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
      creates.push({ id: customerId, ...data, createdAt: customer.merged?.createdAt ?? customer.fromUser?.createdAt ?? null });
      const activation = customer.activation as NonNullable<PlannedCustomer['activation']>;
      events.push({
        id: uuidV7(),
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
  await insertRows(tx, 'Customer', CUSTOMER_COLUMNS, creates, { computed: { createdAt: 'COALESCE(r."createdAt", now())', updatedAt: 'now()' } });
  await insertRows(tx, 'ActivationEvent', EVENT_COLUMNS, events, { onConflict: 'ON CONFLICT DO NOTHING' });
  await insertLinks(tx, linkRows);
  return newLinks;
}

/** The merge log of one merge: what each merged record looked like, and the subscriptions that moved. */
export async function writeMergeLog(
  tx: Transaction,
  customer: PlannedCustomer,
  documents: ReadonlyMap<string, RawDocument>,
  subscriptions: PlannedSubscription[],
  customerId: string,
  userId: string,
): Promise<void> {
  const [survivor, ...merged] = customer.members;
  const moved = subscriptions.filter(
    (subscription) => subscription.legacy.customerRef !== survivor.id && subscription.legacy.customerRef !== survivor.objectId,
  );
  const logged = await insertRows(
    tx,
    'MergeLog',
    { id: 'uuid', survivorLegacyId: 'text', survivorCustomerId: 'uuid', mergedLegacyIds: 'text[]', beforeImages: 'jsonb' },
    [
      {
        id: uuidV7(),
        survivorLegacyId: survivor.id,
        survivorCustomerId: customerId,
        mergedLegacyIds: merged.map((member) => member.id),
        beforeImages: {
          customers: customer.members.map((member) => documentJson(documents.get(member.id) as RawDocument)),
          movedSubscriptions: moved.map((subscription) => ({ id: subscription.legacy.id, customer_id: subscription.legacy.customerRef })),
        },
      },
    ],
    { onConflict: 'ON CONFLICT DO NOTHING' },
  );
  // Once per merge: a re-run finds the merge logged and records nothing again.
  if (logged === 0) return;
  await recordAudit(tx, {
    actorId: null,
    targetUserId: userId,
    action: 'customer.merge',
    subject: { type: 'Customer', id: customerId },
    before: { legacyCustomerIds: customer.members.map((member) => member.id) },
    after: { survivorLegacyId: survivor.id, mergedLegacyIds: merged.map((member) => member.id), movedSubscriptions: moved.length },
    at: new Date(),
  });
}

/** Writes the subscriptions that are not there yet; one written by an earlier run (same legacyId) is left alone. */
export async function writeSubscriptions(tx: Transaction, batch: PlannedSubscription[], links: LinkMap): Promise<void> {
  const creates = batch.map(({ legacy, customerKey, productLegacyId, deliveryBoyKey, startDate }) => ({
    id: uuidV7(),
    customerId: links.require(customerKey),
    productId: links.require(linkKeyText({ collection: 'products', legacyId: productLegacyId })),
    quantity: legacy.quantity,
    pattern: legacy.pattern,
    weekdays: legacy.weekdays,
    shift: legacy.shift,
    status: legacy.status,
    startDate: dateColumnText(dateColumn(startDate)),
    stopDate: legacy.stopDate ? dateColumnText(dateColumn(legacy.stopDate)) : null,
    deliveryBoyId: links.get(deliveryBoyKey) ?? null,
    pricePerUnitPaise: legacy.pricePerUnitPaise,
    legacyId: legacy.id,
    createdAt: legacy.createdAt,
  }));
  await insertRows(tx, 'Subscription', SUBSCRIPTION_COLUMNS, creates, {
    computed: { createdAt: 'COALESCE(r."createdAt", now())', updatedAt: 'now()' },
    onConflict: 'ON CONFLICT ("legacyId") DO NOTHING',
  });
}

const SUBSCRIPTION_COLUMNS = {
  id: 'uuid',
  customerId: 'uuid',
  productId: 'uuid',
  quantity: 'int',
  pattern: '"SubscriptionPattern"',
  weekdays: 'int[]',
  shift: '"Shift"',
  status: '"SubscriptionStatus"',
  startDate: 'date',
  stopDate: 'date',
  deliveryBoyId: 'uuid',
  pricePerUnitPaise: 'int',
  legacyId: 'text',
  createdAt: 'timestamptz',
} as const;

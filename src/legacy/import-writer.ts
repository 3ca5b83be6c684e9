// Writes an import plan in dependency order (users → suppliers → products → delivery boys → customers
// and merges → subscriptions → orders → set-aside documents), each batch in its own transaction: never
// one giant transaction, and a failure leaves every committed batch and merge whole. A re-run finds what
// was written through LegacyLink and the legacyId columns and only writes what is missing.
import type { PrismaClient } from '../generated/prisma/client.js';
// The repository file itself, not the module's index: the index also loads its GraphQL resolvers, which
// the command-line importer has no use for.
import { ActivationTallyRepository } from '../modules/activation/activation-tally.repository.js';
import { readDocuments, scanCollection } from './collection-loading.js';
import { mapOrder } from './commerce-mapping.js';
import { writeCustomers, writeMergeLog, writeSubscriptions } from './customer-writer.js';
import { writeDeliveryBoys, writeProducts, writeSuppliers, writeUsers, type NewLinks } from './identity-writer.js';
import { linkKeyText, type SetAside } from './import-plan.js';
import type { ImportPlanResult } from './import-planner.js';
import { createEmptyReport } from './import-report.js';
import { planOrder, type PlannedOrder } from './order-planning.js';
import { writeOrders, type OrderWriteContext } from './order-writer.js';
import { findIdentifierConflicts } from './preflight.js';
import { silentProgress, type Progress } from './progress.js';
import { writeSetAside } from './set-aside-writer.js';
import { chunk, LinkMap } from './writer-support.js';

interface WriteOptions {
  batchSize?: number;
  progress?: Progress;
  /** Called once the preflight passed, just before the first write (records the import's run). */
  beforeWriting?: () => Promise<void>;
}

export class ImportConflictError extends Error {
  constructor(readonly conflicts: string[]) {
    super(`the import would clash with accounts it did not create:\n${conflicts.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ImportConflictError';
  }
}

const TRANSACTION_OPTIONS = { timeout: 300_000, maxWait: 60_000 };
/** Orders go in four batches' worth per transaction: an order is a few small rows, and at 1,200,000 orders the
 * cost of each transaction (three statements, a commit) set the pace. */
const ORDER_BATCH_FACTOR = 4;

async function loadLinks(prisma: PrismaClient): Promise<LinkMap> {
  const links = new LinkMap();
  for (const row of await prisma.legacyLink.findMany({ select: { collection: true, legacyId: true, entityId: true } })) {
    links.set(`${row.collection}|${row.legacyId}`, row.entityId);
  }
  return links;
}

export async function writeImport(prisma: PrismaClient, plan: ImportPlanResult, options: WriteOptions = {}): Promise<void> {
  const batchSize = options.batchSize ?? 500;
  const progress = options.progress ?? silentProgress;
  const links = await loadLinks(prisma);
  const conflicts = await findIdentifierConflicts(prisma, plan, links);
  if (conflicts.length > 0) throw new ImportConflictError(conflicts);
  await options.beforeWriting?.();

  const apply = (newLinks: NewLinks) => applyLinks(links, newLinks);
  async function inBatches<T>(
    phase: string,
    items: T[],
    write: (tx: Parameters<Parameters<PrismaClient['$transaction']>[0]>[0], batch: T[]) => Promise<NewLinks | void>,
  ) {
    progress.begin(phase, items.length);
    for (const batch of chunk(items, batchSize)) {
      const newLinks = await prisma.$transaction((tx) => write(tx, batch), TRANSACTION_OPTIONS);
      if (newLinks) apply(newLinks);
      progress.advance(batch.length);
    }
    progress.end();
  }

  const { identities } = plan;
  await inBatches('writing users', [...identities.users.values()], (tx, batch) => writeUsers(tx, batch, links));
  await inBatches('writing suppliers', identities.suppliers, (tx, batch) => writeSuppliers(tx, batch, links, identities.users));
  await inBatches('writing products', plan.products, (tx, batch) => writeProducts(tx, batch, links));
  await inBatches('writing delivery boys', identities.deliveryBoys, (tx, batch) => writeDeliveryBoys(tx, batch, links));

  const single = identities.customers.filter((customer) => customer.memberIds.length <= 1);
  const merges = identities.customers.filter((customer) => customer.memberIds.length > 1);
  await inBatches('writing customers', single, (tx, batch) => writeCustomers(tx, batch, links, plan.resolvers));
  await writeMerges(prisma, plan, merges, links, progress);
  await inBatches('writing subscriptions', plan.subscriptions, (tx, batch) => writeSubscriptions(tx, batch, links));

  const orderQuarantine = await writeAllOrders(prisma, plan, links, batchSize * ORDER_BATCH_FACTOR, progress);
  await writeSetAside(prisma, plan.directory, [...plan.quarantined, ...orderQuarantine], plan.archived, batchSize);
  // The triggers tallied every customer and order written above for the dashboard; fold those changes in
  // now rather than on the first dashboard request after a large import.
  const tally = new ActivationTallyRepository(prisma);
  await tally.compact();
  await tally.prune();
}

function applyLinks(links: LinkMap, newLinks: NewLinks): void {
  newLinks.forEach(([key, id]) => links.set(key, id));
}

/** Customers merged from several legacy documents: each with its merge log and its subscriptions, in one transaction. */
async function writeMerges(
  prisma: PrismaClient,
  plan: ImportPlanResult,
  merges: ImportPlanResult['identities']['customers'],
  links: LinkMap,
  progress: Progress,
): Promise<void> {
  const subscriptionsByCustomer = new Map<string, typeof plan.subscriptions>();
  for (const subscription of plan.subscriptions) {
    subscriptionsByCustomer.set(subscription.customerKey, [...(subscriptionsByCustomer.get(subscription.customerKey) ?? []), subscription]);
  }
  // The before-images of the merged documents, read back from the export (the plan keeps no documents).
  const mergedIds = new Set(merges.flatMap((customer) => customer.members.map((member) => member.id)));
  const documents = await readDocuments(plan.directory, 'customers_v2', mergedIds);
  progress.begin('writing merges', merges.length);
  for (const customer of merges) {
    const subscriptions = subscriptionsByCustomer.get(linkKeyText(customer.key)) ?? [];
    const newLinks = await prisma.$transaction(async (tx) => {
      const created = await writeCustomers(tx, [customer], links, plan.resolvers);
      const survivorLink = linkKeyText(customer.key);
      const customerId = created.find(([key]) => key === survivorLink)?.[1] ?? links.require(survivorLink);
      await writeMergeLog(tx, customer, documents, subscriptions, customerId, links.require(customer.userKey));
      const scoped = new LinkMap();
      for (const [key, id] of created) scoped.set(key, id);
      await writeSubscriptions(tx, subscriptions, {
        get: (key) => scoped.get(key) ?? links.get(key),
        require: (key) => scoped.get(key) ?? links.require(key),
      } as LinkMap);
      return created;
    }, TRANSACTION_OPTIONS);
    applyLinks(links, newLinks);
    progress.advance();
  }
  progress.end();
}

async function writeAllOrders(prisma: PrismaClient, plan: ImportPlanResult, links: LinkMap, batchSize: number, progress: Progress): Promise<SetAside[]> {
  const supplierKeyByProduct = new Map(plan.products.map((product) => [product.legacyId, product.supplierKey]));
  const rateByDeliveryBoy = new Map(plan.identities.deliveryBoys.filter((boy) => boy.legacy).map((boy) => [boy.key.legacyId, boy.legacy?.ratePaise ?? 3000]));
  const context: OrderWriteContext = { links, customerKeyByUserId: plan.identities.customerKeyByUserId, supplierKeyByProduct, rateByDeliveryBoy };
  const quarantined: SetAside[] = [];
  let batch: PlannedOrder[] = [];
  // One batch is written while the next is read: the database and the parsing each keep a core busy. The
  // next batch starts only once the previous one committed, so a failure stops the import where it was.
  let writing: Promise<void> = Promise.resolve();
  const flush = async () => {
    const current = batch;
    batch = [];
    await writing;
    if (current.length === 0) return;
    writing = prisma.$transaction((tx) => writeOrders(tx, current, context), TRANSACTION_OPTIONS).then(() => progress.advance(current.length));
    // Awaited at the next flush; until then a failure must not count as unhandled.
    writing.catch(() => {});
  };
  const silent = () => {};
  // Problems were reported by the planner's pass; this pass only writes.
  const scan = { directory: plan.directory, report: createEmptyReport(plan.asOf, false), progress: silentProgress, reportProblems: false };
  progress.begin('writing orders', plan.orderCount);
  await scanCollection(scan, 'orders', async (document, identity) => {
    const outcome = planOrder(mapOrder(document, identity, silent), plan.orderContext, silent);
    if (outcome.kind === 'quarantine') {
      quarantined.push({ collection: 'orders', legacyId: outcome.legacyId, reason: outcome.reason, document: outcome.document });
      return;
    }
    batch.push(outcome.order);
    if (batch.length >= batchSize) await flush();
  });
  await flush();
  await writing;
  progress.end();
  return quarantined;
}

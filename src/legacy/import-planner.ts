// Builds the whole import plan and its report from an export folder, without touching the database.
// Memory is bounded by people, products and subscriptions; orders are streamed (here once, to learn who
// has orders and each person's order history, and again by the writer to write them in batches).
import { istDateString, startOfIstDay } from '../shared/time.js';
import { addOrderFact, combineHistories, deriveActivation, emptyHistory, type OrderHistory } from './activation-derivation.js';
import { loadCollection, scanCollection, type CollectionScan } from './collection-loading.js';
import { mapDeliveryStatus, mapOrder, mapProduct, mapSubscription } from './commerce-mapping.js';
import type { CustomerResolvers } from './customer-writer.js';
import { planIdentities, type IdentityPlan } from './identity-planning.js';
import { linkKeyText, type PlannedProduct, type PlannedSubscription, type SetAside } from './import-plan.js';
import { addProblem, createEmptyReport, sortProblems, type ImportReport } from './import-report.js';
import type {
  LegacyCustomer,
  LegacyDeliveryBoy,
  LegacyDeliveryStatus,
  LegacyProduct,
  LegacySubscription,
  LegacySupplier,
  LegacyUser,
  ProblemSink,
} from './legacy-records.js';
import { orderFact, planOrder, type OrderContext } from './order-planning.js';
import { mapCustomer, mapDeliveryBoy, mapSupplier, mapUser } from './people-mapping.js';
import { silentProgress, type Progress } from './progress.js';
import type { ReferenceIndex } from './reference-index.js';

export interface ImportPlanResult {
  directory: string;
  asOf: Date;
  report: ImportReport;
  identities: IdentityPlan;
  products: PlannedProduct[];
  subscriptions: PlannedSubscription[];
  /** Everything set aside except orders (whose documents the writer re-reads while streaming). */
  quarantined: SetAside[];
  archived: SetAside[];
  orderContext: OrderContext;
  /** Orders the writer will write (for its progress bar). */
  orderCount: number;
  resolvers: CustomerResolvers;
}

interface OrderTally {
  history: OrderHistory;
  orders: number;
  delivered: number;
}

export async function planImport(options: { directory: string; asOf: Date; dryRun: boolean; progress?: Progress }): Promise<ImportPlanResult> {
  const { directory, asOf } = options;
  const report = createEmptyReport(asOf, options.dryRun);
  const problem: ProblemSink = (entry) => addProblem(report, entry);
  const scan: CollectionScan = { directory, report, progress: options.progress ?? silentProgress, reportProblems: true };

  const users = await loadCollection(scan, 'users', mapUser);
  const customers = await loadCollection(scan, 'customers_v2', mapCustomer);
  const deliveryBoys = await loadCollection(scan, 'delivery_boys', mapDeliveryBoy);
  const suppliers = await loadCollection(scan, 'suppliers', mapSupplier);
  const products = await loadCollection(scan, 'products', mapProduct);
  const subscriptions = await loadCollection(scan, 'subscriptions_v2', mapSubscription);
  const confirmations = await readConfirmations(scan);

  const productPlans = planProducts(products, suppliers, problem);
  const quarantined: SetAside[] = productPlans.quarantined;
  const importedProductIds = new Set(productPlans.planned.map((product) => product.legacyId));
  const orderContext: OrderContext = {
    users,
    unimportedUserIds: new Set(),
    productId: (reference) => {
      const id = products.get(reference)?.id;
      return id !== undefined && importedProductIds.has(id) ? id : undefined;
    },
    deliveryBoyId: (reference) => deliveryBoys.get(reference)?.id,
    subscriptionId: (reference) => subscriptions.get(reference)?.id,
    confirmations,
  };

  const { tallies, usersWithOrders } = await tallyOrders(scan, orderContext, problem, asOf);
  const subscriptionCounts = countSubscriptions(subscriptions, customers);
  const identities = planIdentities({ users, customers, deliveryBoys, suppliers, subscriptionCounts, usersWithOrders, report: problem });
  quarantined.push(...identities.quarantined);

  // Orders of users that were not imported are quarantined too (the writer sets them aside).
  const unimportedUserIds = new Set(identities.quarantined.filter((entry) => entry.collection === 'users').map((entry) => entry.legacyId));
  orderContext.unimportedUserIds = unimportedUserIds;
  const orderCount = countImportedOrders(report, tallies, unimportedUserIds, problem);

  deriveCustomerActivation(identities, tallies, asOf);
  const subscriptionPlans = planSubscriptions(subscriptions, customers, deliveryBoys, identities, products, importedProductIds, problem);
  quarantined.push(...subscriptionPlans.quarantined);
  fillReport(report, identities, productPlans.planned, subscriptionPlans);
  sortProblems(report);
  return {
    directory,
    asOf,
    report,
    identities,
    products: productPlans.planned,
    subscriptions: subscriptionPlans.planned,
    quarantined,
    archived: identities.archived,
    orderContext,
    orderCount,
    resolvers: customerResolvers(deliveryBoys, users),
  };
}

/** Each order's first delivery status that confirms the delivery; the other statuses are not kept. */
async function readConfirmations(scan: CollectionScan): Promise<Map<string, LegacyDeliveryStatus>> {
  const confirmations = new Map<string, LegacyDeliveryStatus>();
  scan.progress.begin('reading delivery_statuses', 0);
  await scanCollection(scan, 'delivery_statuses', (document, identity) => {
    const status = mapDeliveryStatus(document, identity);
    if (status.confirmsDelivery && status.orderRef !== null && !confirmations.has(status.orderRef)) confirmations.set(status.orderRef, status);
  });
  scan.progress.end();
  return confirmations;
}

/** First pass over orders: who has orders, and each user's order history for activation. */
async function tallyOrders(scan: CollectionScan, orderContext: OrderContext, problem: ProblemSink, asOf: Date) {
  const { report } = scan;
  const tallies = new Map<string, OrderTally>();
  const usersWithOrders = new Set<string>();
  scan.progress.begin('reading orders', 0);
  await scanCollection(scan, 'orders', (document, identity) => {
    const outcome = planOrder(mapOrder(document, identity, problem), orderContext, problem);
    if (outcome.kind === 'quarantine') {
      report.orders.quarantined += 1;
      problem({ collection: 'orders', id: outcome.legacyId, reason: 'QUARANTINED', detail: `${outcome.reason}: ${outcome.detail}` });
      return;
    }
    const { order } = outcome;
    usersWithOrders.add(order.ownerUserId);
    const tally = tallies.get(order.ownerUserId) ?? { history: emptyHistory(), orders: 0, delivered: 0 };
    addOrderFact(tally.history, orderFact(order), asOf);
    tally.orders += 1;
    if (order.status === 'DELIVERED') tally.delivered += 1;
    tallies.set(order.ownerUserId, tally);
  });
  scan.progress.end();
  return { tallies, usersWithOrders };
}

/** Subscriptions per customers_v2 id (the survivor rule of customer merging). */
function countSubscriptions(subscriptions: ReferenceIndex<LegacySubscription>, customers: ReferenceIndex<LegacyCustomer>): Map<string, number> {
  const subscriptionCounts = new Map<string, number>();
  for (const subscription of subscriptions.values()) {
    const owner = customers.get(subscription.customerRef);
    if (owner) subscriptionCounts.set(owner.id, (subscriptionCounts.get(owner.id) ?? 0) + 1);
  }
  return subscriptionCounts;
}

/** Orders of users that were not imported are quarantined too (the writer sets them aside); the rest are counted. */
function countImportedOrders(
  report: ImportReport,
  tallies: ReadonlyMap<string, OrderTally>,
  unimportedUserIds: ReadonlySet<string>,
  problem: ProblemSink,
): number {
  let orderCount = 0;
  for (const [userId, tally] of tallies) {
    if (unimportedUserIds.has(userId)) {
      report.orders.quarantined += tally.orders;
      problem({ collection: 'users', id: userId, reason: 'ORDERS_QUARANTINED', detail: `${tally.orders} orders of a quarantined user` });
      continue;
    }
    orderCount += tally.orders;
    report.deliveredOrders += tally.delivered;
  }
  report.orders.imported = orderCount;
  return orderCount;
}

function customerResolvers(deliveryBoys: ReferenceIndex<LegacyDeliveryBoy>, users: ReferenceIndex<LegacyUser>): CustomerResolvers {
  return {
    deliveryBoyKey: (reference) => {
      const boy = deliveryBoys.get(reference);
      return boy ? linkKeyText({ collection: 'delivery_boys', legacyId: boy.id }) : null;
    },
    userKey: (reference) => {
      const user = users.get(reference);
      return user ? linkKeyText({ collection: 'users', legacyId: user.id }) : null;
    },
  };
}

function planProducts(products: ReferenceIndex<LegacyProduct>, suppliers: ReferenceIndex<LegacySupplier>, problem: ProblemSink) {
  const planned: PlannedProduct[] = [];
  const quarantined: SetAside[] = [];
  // FORMAT.md: without supplier_id, the supplier whose products_supplied lists the product.
  const listedBy = new Map<string, LegacySupplier>();
  for (const supplier of suppliers.values()) {
    for (const reference of supplier.productRefs) if (!listedBy.has(reference)) listedBy.set(reference, supplier);
  }
  for (const product of products.values()) {
    const supplier = suppliers.get(product.supplierRef) ?? listedBy.get(product.id) ?? (product.objectId ? listedBy.get(product.objectId) : undefined);
    const reason = product.pricePaise === null ? 'INVALID_PRICE' : supplier === undefined ? 'NO_SUPPLIER' : null;
    if (reason !== null || supplier === undefined || product.pricePaise === null) {
      quarantined.push({ collection: 'products', legacyId: product.id, reason: reason ?? 'NO_SUPPLIER' });
      problem({ collection: 'products', id: product.id, reason: 'QUARANTINED', detail: reason ?? 'NO_SUPPLIER' });
      continue;
    }
    planned.push({
      legacyId: product.id,
      supplierKey: linkKeyText({ collection: 'suppliers', legacyId: supplier.id }),
      name: product.name,
      unit: product.unit,
      pricePaise: product.pricePaise,
      active: product.active,
    });
  }
  return { planned, quarantined };
}

function deriveCustomerActivation(identities: IdentityPlan, tallies: ReadonlyMap<string, OrderTally>, asOf: Date): void {
  const historiesByCustomer = new Map<string, OrderHistory[]>();
  for (const [userId, customerKey] of identities.customerKeyByUserId) {
    const tally = tallies.get(userId);
    if (tally) historiesByCustomer.set(customerKey, [...(historiesByCustomer.get(customerKey) ?? []), tally.history]);
  }
  for (const customer of identities.customers) {
    const candidates = [
      ...customer.members.map((member) => member.createdAt),
      ...customer.members.map((member) => (member.trialStartDate ? startOfIstDay(member.trialStartDate) : null)),
      customer.fromUser?.createdAt ?? null,
    ];
    const history = combineHistories(historiesByCustomer.get(linkKeyText(customer.key)) ?? []);
    customer.activation = deriveActivation(history, candidates, asOf);
  }
}

function planSubscriptions(
  subscriptions: ReferenceIndex<LegacySubscription>,
  customers: ReferenceIndex<LegacyCustomer>,
  deliveryBoys: ReferenceIndex<LegacyDeliveryBoy>,
  identities: IdentityPlan,
  products: ReferenceIndex<LegacyProduct>,
  importedProductIds: ReadonlySet<string>,
  problem: ProblemSink,
) {
  const planned: PlannedSubscription[] = [];
  const quarantined: SetAside[] = [];
  const customerByKey = new Map(identities.customers.map((customer) => [linkKeyText(customer.key), customer]));
  const boyKeys = new Map(identities.deliveryBoys.map((boy) => [boy.key.legacyId, linkKeyText(boy.key)]));
  for (const subscription of subscriptions.values()) {
    const owner = customers.get(subscription.customerRef);
    const customerKey = owner ? identities.customerKeyByCustomerId.get(owner.id) : undefined;
    const customer = customerKey ? customerByKey.get(customerKey) : undefined;
    const reason =
      customer === undefined ? 'OWNER_NOT_FOUND' : !importedProductIds.has(products.get(subscription.productRef)?.id ?? '') ? 'UNKNOWN_PRODUCT' : null;
    if (reason !== null || customer === undefined || customerKey === undefined) {
      quarantined.push({ collection: 'subscriptions_v2', legacyId: subscription.id, reason: reason ?? 'OWNER_NOT_FOUND' });
      const detail =
        reason === 'UNKNOWN_PRODUCT'
          ? `product ${subscription.productRef}`
          : `customer ${subscription.customerRef ?? '(none)'}${owner ? ' is quarantined' : ' does not exist'}`;
      problem({ collection: 'subscriptions_v2', id: subscription.id, reason: 'QUARANTINED', detail: `${reason}: ${detail}` });
      continue;
    }
    const ownerRecord = owner ?? null;
    const startDate =
      subscription.startDate ??
      (subscription.createdAt ? istDateString(subscription.createdAt) : null) ??
      ownerRecord?.trialStartDate ??
      istDateString((customer.activation as NonNullable<typeof customer.activation>).signupAt);
    const boyId = deliveryBoys.get(subscription.deliveryBoyRef)?.id;
    const productLegacyId = products.get(subscription.productRef)?.id as string;
    planned.push({ legacy: subscription, customerKey, productLegacyId, deliveryBoyKey: (boyId && boyKeys.get(boyId)) || null, startDate });
  }
  return { planned, quarantined };
}

function fillReport(
  report: ImportReport,
  identities: IdentityPlan,
  products: PlannedProduct[],
  subscriptions: { planned: PlannedSubscription[]; quarantined: SetAside[] },
): void {
  for (const customer of identities.customers) {
    report.customers.imported += 1;
    report.customers.merged += Math.max(0, customer.memberIds.length - 1);
    if (customer.key.collection === 'users.customer') report.customers.createdFromUsers += 1;
    else if (customer.linkedToLegacyUser) report.users.linked += 1;
    else report.users.created += 1;
    if (customer.activation) report.activation[customer.activation.status] += 1;
  }
  report.customers.quarantined = identities.quarantined.filter((entry) => entry.collection === 'customers_v2').length;
  report.users.archived = identities.archived.length;
  report.users.imported = [...identities.users.values()].filter((user) => user.legacyUser !== null).length;
  const legacyBoys = identities.deliveryBoys.filter((boy) => boy.legacy !== null);
  report.deliveryBoys = { imported: legacyBoys.length, linkedToUsers: legacyBoys.filter((boy) => boy.linkedToUser).length };
  const legacySuppliers = identities.suppliers.filter((supplier) => supplier.legacy !== null);
  report.suppliers = { imported: legacySuppliers.length, linkedToUsers: legacySuppliers.filter((supplier) => supplier.linkedToUser).length };
  report.products.imported = products.length;
  report.productsPaise = Object.fromEntries(products.map((product) => [product.legacyId, product.pricePaise]));
  report.subscriptions = { imported: subscriptions.planned.length, quarantined: subscriptions.quarantined.length };
}

// Writes users, suppliers, products and delivery boys, one batch per transaction. A row that a LegacyLink
// already names is only filled where it is empty; a new row is created together with its link. Users and
// links go in with one unnest insert per batch (unnest-insert.ts); the few suppliers, products and delivery
// boys through createMany.
import type { Prisma } from '../generated/prisma/client.js';
import { Role } from '../generated/prisma/enums.js';
import type { PlannedDeliveryBoy, PlannedProduct, PlannedSupplier, PlannedUser } from './import-plan.js';
import { linkKeyText } from './import-plan.js';
import { insertRows } from './unnest-insert.js';
import { fillOnlyPatch, insertLinks, linkRow, type LinkMap, uuidV7 } from './writer-support.js';

type Transaction = Prisma.TransactionClient;
export type NewLinks = Array<[string, string]>;

const ROLE_ORDER = Object.values(Role);
const sortedRoles = (roles: Set<Role>): Role[] => ROLE_ORDER.filter((role) => roles.has(role));

const USER_COLUMNS = {
  id: 'uuid',
  name: 'text',
  email: 'text',
  phone: 'text',
  roles: '"Role"[]',
  legacyIds: 'text[]',
  passwordHash: 'text',
  passwordScheme: '"PasswordScheme"',
  status: '"UserStatus"',
  createdAt: 'timestamptz',
} as const;

export async function writeUsers(tx: Transaction, batch: PlannedUser[], links: LinkMap): Promise<NewLinks> {
  const existingIds = batch.map((user) => links.get(linkKeyText(user.key))).filter((id): id is string => id !== undefined);
  const existing = new Map(existingIds.length === 0 ? [] : (await tx.user.findMany({ where: { id: { in: existingIds } } })).map((row) => [row.id, row]));
  const creates: Array<Omit<Prisma.UserCreateManyInput, 'createdAt'> & { createdAt: Date | null }> = [];
  const linkRows: Prisma.LegacyLinkCreateManyInput[] = [];
  const newLinks: NewLinks = [];
  for (const user of batch) {
    const desired = {
      name: user.name,
      email: user.email,
      phone: user.phone,
      roles: sortedRoles(user.roles),
      legacyIds: user.legacyIds,
    };
    const id = links.get(linkKeyText(user.key));
    const row = id === undefined ? undefined : existing.get(id);
    if (id !== undefined && row !== undefined) {
      const patch = fillOnlyPatch(row, desired, ['roles', 'legacyIds']);
      if (Object.keys(patch).length > 0) await tx.user.update({ where: { id }, data: patch });
      continue;
    }
    const newId = id ?? uuidV7();
    creates.push({
      id: newId,
      ...desired,
      passwordHash: user.password?.hash ?? null,
      passwordScheme: user.password?.scheme ?? null,
      status: user.status,
      createdAt: user.createdAt,
    });
    if (id === undefined) {
      linkRows.push(linkRow(user.key, 'User', newId));
      newLinks.push([linkKeyText(user.key), newId]);
    }
  }
  await insertRows(tx, 'User', USER_COLUMNS, creates, { computed: { createdAt: 'COALESCE(r."createdAt", now())', updatedAt: 'now()' } });
  await insertLinks(tx, linkRows);
  return newLinks;
}

/** Creates the rows whose key has no link yet; fills the empty fields of those that exist. */
async function writeFacets<Plan, Row extends { id: string }>(options: {
  batch: Plan[];
  links: LinkMap;
  entityType: string;
  keyText(plan: Plan): string;
  key(plan: Plan): Parameters<typeof linkRow>[0];
  desired(plan: Plan): Record<string, unknown>;
  findExisting(ids: string[]): Promise<Row[]>;
  createMany(rows: Array<Record<string, unknown> & { id: string }>): Promise<unknown>;
  update(id: string, patch: Record<string, unknown>): Promise<unknown>;
  tx: Transaction;
  unionFields?: string[];
}): Promise<NewLinks> {
  const { batch, links } = options;
  const ids = batch.map((plan) => links.get(options.keyText(plan))).filter((id): id is string => id !== undefined);
  const existing = new Map((await options.findExisting(ids)).map((row) => [row.id, row]));
  const creates: Array<Record<string, unknown> & { id: string }> = [];
  const linkRows: Prisma.LegacyLinkCreateManyInput[] = [];
  const newLinks: NewLinks = [];
  for (const plan of batch) {
    const desired = options.desired(plan);
    const id = links.get(options.keyText(plan));
    const row = id === undefined ? undefined : existing.get(id);
    if (id !== undefined && row !== undefined) {
      const patch = fillOnlyPatch(row, desired, options.unionFields);
      if (Object.keys(patch).length > 0) await options.update(id, patch);
      continue;
    }
    const newId = id ?? uuidV7();
    creates.push({ id: newId, ...desired });
    if (id === undefined) {
      linkRows.push(linkRow(options.key(plan), options.entityType, newId));
      newLinks.push([options.keyText(plan), newId]);
    }
  }
  if (creates.length > 0) await options.createMany(creates);
  await insertLinks(options.tx, linkRows);
  return newLinks;
}

export function writeSuppliers(tx: Transaction, batch: PlannedSupplier[], links: LinkMap, users: ReadonlyMap<string, PlannedUser>): Promise<NewLinks> {
  return writeFacets({
    tx,
    batch,
    links,
    entityType: 'Supplier',
    key: (plan) => plan.key,
    keyText: (plan) => linkKeyText(plan.key),
    desired: (plan) => {
      const user = links.require(plan.userKey);
      const legacy = plan.legacy;
      return {
        userId: user,
        // A facet made for a staff role has no business name of its own: it takes its user's name.
        businessName: legacy?.name ?? users.get(plan.userKey)?.name ?? '',
        commissionRateBps: legacy?.commissionRateBps ?? 1000,
        email: legacy?.email ?? null,
        phone: legacy?.phone ?? null,
        address: legacy?.address ?? null,
        paymentTerms: legacy?.paymentTerms ?? null,
        active: legacy?.isActive ?? true,
        legacyIds: legacy ? [legacy.id] : [],
      };
    },
    findExisting: (ids) => tx.supplier.findMany({ where: { id: { in: ids } } }),
    createMany: (rows) => tx.supplier.createMany({ data: rows as Prisma.SupplierCreateManyInput[] }),
    update: (id, patch) => tx.supplier.update({ where: { id }, data: patch }),
    unionFields: ['legacyIds'],
  });
}

export function writeProducts(tx: Transaction, batch: PlannedProduct[], links: LinkMap): Promise<NewLinks> {
  const keyOf = (plan: PlannedProduct) => ({ collection: 'products' as const, legacyId: plan.legacyId });
  return writeFacets({
    tx,
    batch,
    links,
    entityType: 'Product',
    key: keyOf,
    keyText: (plan) => linkKeyText(keyOf(plan)),
    desired: (plan) => ({
      supplierId: links.require(plan.supplierKey),
      name: plan.name,
      unit: plan.unit,
      pricePaise: plan.pricePaise,
      active: plan.active,
      legacyIds: [plan.legacyId],
    }),
    findExisting: (ids) => tx.product.findMany({ where: { id: { in: ids } } }),
    createMany: (rows) => tx.product.createMany({ data: rows as Prisma.ProductCreateManyInput[] }),
    update: (id, patch) => tx.product.update({ where: { id }, data: patch }),
    unionFields: ['legacyIds'],
  });
}

export function writeDeliveryBoys(tx: Transaction, batch: PlannedDeliveryBoy[], links: LinkMap): Promise<NewLinks> {
  return writeFacets({
    tx,
    batch,
    links,
    entityType: 'DeliveryBoy',
    key: (plan) => plan.key,
    keyText: (plan) => linkKeyText(plan.key),
    desired: (plan) => ({
      userId: links.require(plan.userKey),
      status: plan.legacy?.status ?? 'ACTIVE',
      paymentFrequency: plan.legacy?.paymentFrequency ?? 'WEEKLY',
      ratePerDeliveryPaise: plan.legacy?.ratePaise ?? 3000,
      area: plan.legacy?.area ?? null,
      legacyIds: plan.legacy ? [plan.legacy.id] : [],
    }),
    findExisting: (ids) => tx.deliveryBoy.findMany({ where: { id: { in: ids } } }),
    createMany: (rows) => tx.deliveryBoy.createMany({ data: rows as Prisma.DeliveryBoyCreateManyInput[] }),
    update: (id, patch) => tx.deliveryBoy.update({ where: { id }, data: patch }),
    unionFields: ['legacyIds'],
  });
}

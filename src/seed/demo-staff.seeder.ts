// Staff, suppliers, products, pending price changes and payouts of the demo data set. Each step looks for
// what it would create first, so running the seed again changes nothing.
import type { Database } from '../db/client.js';
import type { StoredPassword } from '../modules/identity/password.hasher.js';
import { DEMO_AREAS } from './customer-history.js';
import { DEMO_STAFF, type DemoLogin } from './demo-logins.js';

export interface DemoCatalogue {
  /** Products in a fixed order (customer histories refer to them by index). */
  products: { id: string; supplierId: string; pricePaise: number }[];
  /** Delivery boys by area. */
  deliveryBoyByArea: Map<string, { id: string; ratePerDeliveryPaise: number }>;
  adminId: string | null;
  created: number;
}

const SUPPLIER_PRODUCTS: Record<string, { businessName: string; commissionRateBps: number; products: [string, string, number][] }> = {
  'gokul@dairy.example': {
    businessName: 'Gokul Dairy Farms',
    commissionRateBps: 1000,
    products: [
      ['Toned milk', '500 ml pouch', 2800],
      ['Full cream milk', '1 L pouch', 6600],
      ['Buffalo milk', '500 ml bottle', 4200],
      ['Fresh curd', '400 g cup', 3500],
      ['Paneer', '200 g pack', 9000],
    ],
  },
  'greenbasket@dairy.example': {
    businessName: 'Green Basket Grocers',
    commissionRateBps: 1200,
    products: [
      ['Brown eggs', 'pack of 6', 6000],
      ['Whole wheat bread', '400 g loaf', 4500],
      ['Whole wheat atta', '5 kg bag', 24500],
    ],
  },
};

const PRICE_CHANGES: [string, number, string][] = [
  ['Full cream milk', 6800, 'Procurement price from the cooperative went up on the 1st'],
  ['Brown eggs', 6600, 'Feed costs up 9 % this quarter'],
];

async function ensureUser(db: Database, login: DemoLogin, hashPassword: () => Promise<StoredPassword>): Promise<{ id: string; created: boolean }> {
  const existing = await db.user.findUnique({ where: { email: login.email }, select: { id: true } });
  if (existing) return { id: existing.id, created: false };
  const password = await hashPassword();
  const user = await db.user.create({
    data: {
      name: login.name,
      email: login.email,
      phone: login.phone ?? null,
      roles: [...login.roles],
      passwordHash: password.hash,
      passwordScheme: password.scheme,
    },
  });
  return { id: user.id, created: true };
}

/** A demo supplier's facet and products (kept as they are when they exist). */
async function ensureSupplierCatalogue(
  db: Database,
  userId: string,
  login: DemoLogin,
  catalogue: NonNullable<(typeof SUPPLIER_PRODUCTS)[string]>,
): Promise<DemoCatalogue['products']> {
  const supplier = await db.supplier.upsert({
    where: { userId },
    create: {
      userId,
      businessName: catalogue.businessName,
      commissionRateBps: catalogue.commissionRateBps,
      email: login.email,
      phone: login.phone ?? null,
    },
    update: {},
  });
  const products: DemoCatalogue['products'] = [];
  for (const [name, unit, pricePaise] of catalogue.products) {
    const product =
      (await db.product.findFirst({ where: { supplierId: supplier.id, name }, select: { id: true, pricePaise: true } })) ??
      (await db.product.create({ data: { supplierId: supplier.id, name, unit, pricePaise }, select: { id: true, pricePaise: true } }));
    products.push({ id: product.id, supplierId: supplier.id, pricePaise: product.pricePaise });
  }
  return products;
}

/** The pending price changes the admin reviews in the demo, once each. */
async function ensurePriceChanges(db: Database, now: Date): Promise<void> {
  for (const [productName, requestedPricePaise, reason] of PRICE_CHANGES) {
    const product = await db.product.findFirst({ where: { name: productName, supplier: { email: { in: Object.keys(SUPPLIER_PRODUCTS) } } } });
    if (!product || (await db.priceChangeRequest.count({ where: { productId: product.id } })) > 0) continue;
    await db.priceChangeRequest.create({
      data: {
        productId: product.id,
        supplierId: product.supplierId,
        pendingProductId: product.id,
        currentPricePaise: product.pricePaise,
        requestedPricePaise,
        reason,
        createdAt: new Date(now.getTime() - 2 * 86_400_000),
      },
    });
  }
}

export async function seedStaffAndCatalogue(db: Database, hashPassword: () => Promise<StoredPassword>, now: Date): Promise<DemoCatalogue> {
  let created = 0;
  const products: DemoCatalogue['products'] = [];
  const deliveryBoys: { id: string; ratePerDeliveryPaise: number }[] = [];
  let adminId: string | null = null;
  for (const login of DEMO_STAFF) {
    const user = await ensureUser(db, login, hashPassword);
    if (user.created) created += 1;
    if (login.roles.includes('ADMIN')) adminId = user.id;
    if (login.roles.includes('DELIVERY_BOY')) {
      const index = deliveryBoys.length;
      const facet = await db.deliveryBoy.upsert({
        where: { userId: user.id },
        create: {
          userId: user.id,
          area: DEMO_AREAS[index * 2],
          ratePerDeliveryPaise: 3000 + index * 500,
          paymentFrequency: (['WEEKLY', 'BIWEEKLY', 'MONTHLY'] as const)[index % 3],
        },
        update: {},
      });
      deliveryBoys.push(facet);
    }
    if (login.roles.includes('CUSTOMER')) {
      await db.customer.upsert({
        where: { userId: user.id },
        create: {
          userId: user.id,
          name: login.name,
          phone: login.phone ?? null,
          email: login.email,
          area: DEMO_AREAS[4],
          signupAt: now,
          welcomeMessageSent: true,
        },
        update: {},
      });
    }
    const catalogue = SUPPLIER_PRODUCTS[login.email];
    if (catalogue) products.push(...(await ensureSupplierCatalogue(db, user.id, login, catalogue)));
  }

  // Each delivery boy covers two neighbouring areas.
  const deliveryBoyByArea = new Map(DEMO_AREAS.map((area, index) => [area, deliveryBoys[Math.floor(index / 2) % deliveryBoys.length]]));

  await ensurePriceChanges(db, now);

  return { products, deliveryBoyByArea, adminId, created };
}

/** A first payout for each delivery boy: 60 % of what he had earned a week ago, so a balance stays unpaid. */
export async function seedPayouts(db: Database, catalogue: DemoCatalogue, now: Date): Promise<void> {
  const weekAgo = new Date(now.getTime() - 7 * 86_400_000);
  for (const deliveryBoy of new Set(catalogue.deliveryBoyByArea.values())) {
    if ((await db.payout.count({ where: { deliveryBoyId: deliveryBoy.id } })) > 0) continue;
    const earned = await db.delivery.aggregate({ where: { deliveryBoyId: deliveryBoy.id, deliveredAt: { lt: weekAgo } }, _sum: { ratePaise: true } });
    const amountPaise = Math.floor(((earned._sum.ratePaise ?? 0) * 0.6) / 100) * 100;
    if (amountPaise === 0) continue;
    await db.payout.create({ data: { deliveryBoyId: deliveryBoy.id, amountPaise, paidAt: weekAgo, recordedById: catalogue.adminId } });
  }
}

// The catalogue (SPEC §6). Who may do what:
// - admins create products for any supplier and see every product, active or not;
// - marketing staff see every product; customers and delivery boys see active products;
// - a supplier sees its own products (active or not) and nothing of other suppliers.
import { recordAudit } from '../audit/index.js';
import { hasRole, isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { keyKinds, keyOf } from '../../db/keyset.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput } from '../../shared/errors.js';
import { assertPaise } from '../../shared/money.js';
import { pageRequest, toConnection, type PageArgs } from '../../shared/pagination.js';
import { requireText, requireUuid } from '../../shared/input-checks.js';
import { PRODUCT_ORDER, type ProductRepository, type ProductScope } from './product.repository.js';

/** ₹1,00,000: far above any dairy or grocery item, low enough to catch a rupees-for-paise slip. */
export const MAX_PRODUCT_PRICE_PAISE = 1_00_000_00;

export interface CreateProductInput {
  supplierId: string;
  name: string;
  unit: string;
  pricePaise: number;
}

export class CatalogueService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly products: ProductRepository,
  ) {}

  async list(viewer: Viewer, args: PageArgs) {
    const request = pageRequest(args, keyKinds(PRODUCT_ORDER));
    const { rows, totalCount } = await this.products.listPage(productScope(viewer), request);
    return toConnection(rows, request, totalCount, (row) => keyOf(PRODUCT_ORDER, row));
  }

  async create(viewer: Viewer, input: CreateProductInput) {
    const supplierId = requireUuid('input.supplierId', input.supplierId);
    const name = requireText('input.name', input.name);
    const unit = requireText('input.unit', input.unit, 50);
    assertPaise('input.pricePaise', input.pricePaise, { min: 1, max: MAX_PRODUCT_PRICE_PAISE });
    const supplierUserId = await this.products.supplierUserId(supplierId);
    if (supplierUserId === null) throw badUserInput('input.supplierId', 'no such supplier');
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const product = await this.products.create({ supplierId, name, unit, pricePaise: input.pricePaise, createdAt: now }, tx);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: supplierUserId,
        action: 'product.create',
        subject: { type: 'Product', id: product.id },
        before: null,
        after: { supplierId, name, unit, pricePaise: input.pricePaise },
        at: now,
      });
      return product;
    });
  }
}

/** The products a viewer may list: the union of what each of its roles may see. */
function productScope(viewer: Viewer): ProductScope {
  if (isAdmin(viewer) || hasRole(viewer, 'MARKETING_STAFF')) return { all: true };
  return { all: false, active: hasRole(viewer, 'CUSTOMER') || hasRole(viewer, 'DELIVERY_BOY'), supplierId: viewer.supplierId };
}

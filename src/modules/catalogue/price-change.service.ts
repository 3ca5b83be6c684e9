// Price changes (SPEC §6). Who may do what:
// - only the product's supplier requests a change (admins review, they do not request), one pending
//   request per product (a second is CONFLICT);
// - only admins review; the product's price changes only on approval, in the same transaction as the
//   review and its audit-log entry; orders keep the unit prices they copied when they were placed;
// - a supplier lists its own requests, admins list all.
import { recordAudit } from '../audit/index.js';
import { isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import type { PriceChangeStatus } from '../../generated/prisma/enums.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput, conflict, forbidden, notFound } from '../../shared/errors.js';
import { assertPaise } from '../../shared/money.js';
import { MAX_PRODUCT_PRICE_PAISE } from './catalogue.service.js';
import { isUuid, optionalText, requireUuid } from '../../shared/input-checks.js';
import type { PriceChangeRepository } from './price-change.repository.js';
import type { ProductRepository } from './product.repository.js';

export class PriceChangeService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly products: ProductRepository,
    private readonly requests: PriceChangeRepository,
  ) {}

  async request(viewer: Viewer, productIdInput: string, newPricePaise: number, reasonInput: string | null | undefined) {
    const productId = requireUuid('productId', productIdInput);
    const product = await this.products.findById(productId);
    // Someone else's product and no product at all answer the same, so ids reveal nothing.
    if (!product || !viewer.supplierId || product.supplierId !== viewer.supplierId) {
      throw forbidden("only the product's supplier may request a price change");
    }
    assertPaise('newPricePaise', newPricePaise, { min: 1, max: MAX_PRODUCT_PRICE_PAISE });
    if (newPricePaise === product.pricePaise) throw badUserInput('newPricePaise', 'is the current price');
    const reason = optionalText('reason', reasonInput, 500);
    if (await this.requests.findPendingForProduct(productId)) throw conflict('a price change for this product is already pending');
    try {
      return await this.requests.create({
        productId,
        supplierId: product.supplierId,
        currentPricePaise: product.pricePaise,
        requestedPricePaise: newPricePaise,
        reason,
        createdAt: this.clock.now(),
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('a price change for this product is already pending');
      throw error;
    }
  }

  list(viewer: Viewer, status: PriceChangeStatus | null | undefined) {
    const statusFilter = status ? { status } : {};
    if (isAdmin(viewer)) return this.requests.list(statusFilter);
    if (!viewer.supplierId) return [];
    return this.requests.list({ ...statusFilter, supplierId: viewer.supplierId });
  }

  async review(viewer: Viewer, id: string, approve: boolean, noteInput: string | null | undefined) {
    if (!isUuid(id)) throw notFound('price change request');
    const note = optionalText('note', noteInput, 500);
    const request = await this.requests.findById(id);
    if (!request) throw notFound('price change request');
    if (request.status !== 'PENDING') throw conflict(`this request was already ${request.status.toLowerCase()}`);
    const now = this.clock.now();
    const status = approve ? 'APPROVED' : 'REJECTED';
    return this.db.$transaction(async (tx) => {
      const closed = await this.requests.close(tx, id, { status, reviewedAt: now, reviewedById: viewer.userId, reviewNote: note });
      if (!closed) throw conflict('this request was already reviewed');
      const product = await this.products.findByIds([request.productId], tx).then((rows) => rows[0]);
      if (approve) await this.products.updatePrice(tx, request.productId, request.requestedPricePaise);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: await this.requests.supplierUserId(tx, request.supplierId),
        action: approve ? 'price-change.approve' : 'price-change.reject',
        subject: { type: 'PriceChangeRequest', id },
        before: { status: 'PENDING', productId: request.productId, pricePaise: product.pricePaise, requestedPricePaise: request.requestedPricePaise },
        after: { status, productId: request.productId, pricePaise: approve ? request.requestedPricePaise : product.pricePaise, note },
        at: now,
      });
      return this.requests.findByIdIn(tx, id);
    });
  }
}

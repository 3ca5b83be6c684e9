// Subscriptions (SPEC §6). Who may do what:
// - a customer subscribes for itself; admins and marketing staff subscribe any customer (naming it);
// - WEEKLY needs its ISO weekdays (1 = Monday … 7 = Sunday), the other patterns take none;
// - the subscription's delivery boy is the one assigned to the customer (and follows reassignment);
// - reading by id follows the order rules: the owner and staff, null for everyone else.
import { recordAudit } from '../audit/index.js';
import { hasRole, isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { formatDateOnly } from '../../shared/time.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput } from '../../shared/errors.js';
import type { ProductRepository } from '../catalogue/index.js';
import type { CustomerRepository } from '../customers/index.js';
import { isUuid, requireQuantity, requireUuid } from '../../shared/input-checks.js';
import { checkPlannableDate, customerActedFor } from './order.rules.js';
import type { SubscriptionRepository } from './subscription.repository.js';
import type { Shift, SubscriptionPattern } from './subscription.type.js';

export interface CreateSubscriptionInput {
  customerId?: string | null;
  productId: string;
  quantity: number;
  pattern: SubscriptionPattern;
  weekdays?: number[] | null;
  shift: Shift;
  startDate: Date;
}

export function checkWeekdays(pattern: SubscriptionPattern, weekdays: number[] | null | undefined): number[] {
  const days = weekdays ?? [];
  if (pattern !== 'WEEKLY') {
    if (days.length > 0) throw badUserInput('input.weekdays', `only WEEKLY subscriptions take weekdays`);
    return [];
  }
  if (days.length === 0) throw badUserInput('input.weekdays', 'WEEKLY needs at least one weekday');
  if (!days.every((day) => Number.isInteger(day) && day >= 1 && day <= 7)) {
    throw badUserInput('input.weekdays', 'weekdays are 1 (Monday) to 7 (Sunday)');
  }
  return [...new Set(days)].sort((a, b) => a - b);
}

export class SubscriptionService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly subscriptions: SubscriptionRepository,
    private readonly products: ProductRepository,
    private readonly customers: CustomerRepository,
  ) {}

  async create(viewer: Viewer, input: CreateSubscriptionInput) {
    const customerId = customerActedFor(viewer, input.customerId, ['ADMIN', 'MARKETING_STAFF']);
    const productId = requireUuid('input.productId', input.productId);
    const quantity = requireQuantity('input.quantity', input.quantity);
    const weekdays = checkWeekdays(input.pattern, input.weekdays);
    const now = this.clock.now();
    checkPlannableDate('input.startDate', input.startDate, now);
    const [product] = await this.products.findByIds([productId]);
    if (!product) throw badUserInput('input.productId', 'no such product');
    if (!product.active) throw badUserInput('input.productId', 'is not available any more');
    const customer = await this.customers.findById(customerId);
    if (!customer || customer.archivedAt || customer.mergedIntoId) throw badUserInput('input.customerId', 'no such customer');
    const subscription = {
      customerId,
      productId,
      quantity,
      pattern: input.pattern,
      weekdays,
      shift: input.shift,
      startDate: input.startDate,
      deliveryBoyId: customer.deliveryBoyId,
      createdAt: now,
    };
    // A customer's own subscription is its own business; staff acting for a customer are audited.
    if (customer.id === viewer.customerId) return this.subscriptions.create(subscription);
    return this.db.$transaction(async (tx) => {
      const created = await this.subscriptions.create(subscription, tx);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: customer.userId,
        action: 'subscription.create',
        subject: { type: 'Subscription', id: created.id },
        before: null,
        after: { customerId, productId, quantity, pattern: input.pattern, weekdays, shift: input.shift, startDate: formatDateOnly(input.startDate) },
        at: now,
      });
      return created;
    });
  }

  async byId(viewer: Viewer, id: string) {
    if (!isUuid(id)) return null;
    const subscription = await this.subscriptions.findById(id.toLowerCase());
    if (!subscription) return null;
    if (isAdmin(viewer) || hasRole(viewer, 'MARKETING_STAFF')) return subscription;
    return viewer.customerId && subscription.customerId === viewer.customerId ? subscription : null;
  }
}

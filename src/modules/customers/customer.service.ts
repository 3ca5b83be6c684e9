// Customers (SPEC §1, §3, §6). Who may do what:
// - admins and marketing staff list every customer (archived and merged ones never appear); a delivery
//   boy lists only the customers assigned to him;
// - a filter on a field is refused (FORBIDDEN) to a caller who may not read that field: a delivery boy
//   cannot filter by activation status, which he cannot see;
// - marketing staff and admins sign customers up in the field: a login-less user with the customer
//   facet, claimed later by OTP on that phone; the signup starts the activation pipeline;
// - only admins assign a delivery boy; running subscriptions follow, placed orders keep theirs;
// - marketing consent is the customer's own word: only the customer sets it, for itself; staff read it.
import { recordAudit } from '../audit/index.js';
import { hasRole, isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { keyKinds, keyOf } from '../../db/keyset.js';
import type { ActivationStatus } from '../../generated/prisma/enums.js';
import type { Clock } from '../../shared/clock.js';
import type { IdempotencyGuard } from '../idempotency/index.js';
import { badUserInput, conflict, forbidden, notFound } from '../../shared/errors.js';
import { requirePhone } from '../../shared/identifiers.js';
import { pageRequest, toConnection, type PageArgs } from '../../shared/pagination.js';
import { recordSignup } from '../activation/index.js';
import { isUuid, optionalText, requireText, requireUuid } from '../../shared/input-checks.js';
import { CUSTOMER_ORDER, type CustomerListScope, type CustomerRepository } from './customer.repository.js';
import type { DeliveryRepository } from '../delivery/index.js';
import type { IdentityRepository } from '../identity/index.js';
import type { SubscriptionRepository } from '../orders/index.js';

export interface CustomerFilter {
  activationStatus?: ActivationStatus | null;
  area?: string | null;
  deliveryBoyId?: string | null;
  phone?: string | null;
}

export interface CreateCustomerInput {
  name: string;
  phone: string;
  address?: string | null;
  area?: string | null;
}

const isCustomerStaff = (viewer: Viewer) => isAdmin(viewer) || hasRole(viewer, 'MARKETING_STAFF');

export class CustomerService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly customers: CustomerRepository,
    /** Delivery boys and subscriptions are other modules': reached through their repositories. */
    private readonly owners: { deliveryBoys: DeliveryRepository; subscriptions: SubscriptionRepository; users: IdentityRepository },
  ) {}

  async list(viewer: Viewer, args: PageArgs, filter: CustomerFilter | null | undefined) {
    const request = pageRequest(args, keyKinds(CUSTOMER_ORDER));
    const { rows, totalCount } = await this.customers.listPage(customerScope(viewer, filter ?? {}), request);
    return toConnection(rows, request, totalCount, (row) => keyOf(CUSTOMER_ORDER, row));
  }

  async create(viewer: Viewer, input: CreateCustomerInput, guard?: IdempotencyGuard) {
    const name = requireText('input.name', input.name);
    const phone = requirePhone('input.phone', input.phone);
    const address = optionalText('input.address', input.address, 500);
    const area = optionalText('input.area', input.area, 100);
    const taken = () => conflict('already registered: sign in with OTP');
    if (await this.customers.isPhoneTaken(phone)) throw taken();
    const at = this.clock.now();
    try {
      return await this.db.$transaction(async (tx) => {
        await guard?.claim(tx);
        // A login-less user holding the customer facet: the customer claims it later by proving the phone (OTP).
        const created = await this.owners.users.createUserWithCustomer(
          tx,
          { name, email: null, phone, roles: ['CUSTOMER'], customer: { address, area, signedUpById: viewer.userId } },
          at,
        );
        const customer = created.customer;
        if (!customer) throw new Error('the customer facet of a new user was not created');
        await recordSignup(tx, customer, at, 'marketing');
        await recordAudit(tx, {
          actorId: viewer.userId,
          targetUserId: customer.userId,
          action: 'customer.create',
          subject: { type: 'Customer', id: customer.id },
          before: null,
          after: { name, phone, area },
          at,
        });
        await guard?.complete(tx, customer.id);
        return { ...customer, activationStatus: 'NEW' as ActivationStatus, signupAt: at };
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw taken();
      throw error;
    }
  }

  /**
   * The customer's own consent to transactional messages on WhatsApp (docs/messages.md): only the
   * customer gives or withdraws it, so staff cannot. Audit-logged, as consent must be provable.
   */
  async setWhatsappOptIn(viewer: Viewer, optIn: boolean) {
    if (!viewer.customerId) throw forbidden('only a customer can give or withdraw their own WhatsApp consent');
    const customerId = viewer.customerId;
    const at = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const updated = await this.customers.setWhatsappOptIn(tx, customerId, optIn);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: viewer.userId,
        action: optIn ? 'customer.whatsapp-opt-in' : 'customer.whatsapp-opt-out',
        subject: { type: 'Customer', id: customerId },
        before: { whatsappOptIn: !optIn },
        after: { whatsappOptIn: optIn },
        at,
      });
      return updated;
    });
  }

  async setMarketingConsent(viewer: Viewer, consent: boolean) {
    if (!viewer.customerId) throw forbidden('only a customer sets its own marketing consent');
    const customer = await this.customers.setMarketingConsent(viewer.customerId, consent, this.clock.now());
    if (!customer) throw notFound('customer');
    return customer;
  }

  async assignDeliveryBoy(viewer: Viewer, customerIdInput: string, deliveryBoyIdInput: string) {
    const customer = isUuid(customerIdInput) ? await this.customers.findById(customerIdInput.toLowerCase()) : null;
    if (!customer || customer.archivedAt || customer.mergedIntoId) throw notFound('customer');
    const deliveryBoyId = requireUuid('deliveryBoyId', deliveryBoyIdInput);
    if (!(await this.owners.deliveryBoys.isActingDeliveryBoy(deliveryBoyId))) throw badUserInput('deliveryBoyId', 'no such delivery boy');
    const at = this.clock.now();
    return this.db.$transaction(async (tx) => {
      await this.owners.subscriptions.moveRunningTo(tx, customer.id, deliveryBoyId);
      const updated = await this.customers.assignDeliveryBoy(tx, customer.id, deliveryBoyId);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: customer.userId,
        action: 'customer.assign-delivery-boy',
        subject: { type: 'Customer', id: customer.id },
        before: { deliveryBoyId: customer.deliveryBoyId },
        after: { deliveryBoyId },
        at,
      });
      return updated;
    });
  }
}

/**
 * The rows a viewer may list (archived and merged customers are history, not customers: the repository
 * lists live ones), narrowed by the filter. Only fields the viewer may read for every row in its scope can
 * be filtered on.
 */
function customerScope(viewer: Viewer, filter: CustomerFilter): CustomerListScope {
  const where: CustomerListScope = { none: false, deliveryBoyIds: [], activationStatus: null, phone: null, area: null };
  if (!isCustomerStaff(viewer)) {
    if (viewer.deliveryBoyId) where.deliveryBoyIds.push(viewer.deliveryBoyId);
    else where.none = true;
  }
  if (filter.activationStatus) {
    // A delivery boy reads the activation status of his own customers, his whole scope.
    if (!isCustomerStaff(viewer) && !viewer.deliveryBoyId) throw forbidden('filter.activationStatus: you may not read this field');
    where.activationStatus = filter.activationStatus;
  }
  if (filter.phone) {
    // Staff read every phone; a delivery boy reads the phones of his own customers, his whole scope.
    if (!isCustomerStaff(viewer) && !viewer.deliveryBoyId) throw forbidden('filter.phone: you may not read this field');
    where.phone = requirePhone('filter.phone', filter.phone);
  }
  if (filter.area) where.area = requireText('filter.area', filter.area);
  if (filter.deliveryBoyId) {
    if (!isUuid(filter.deliveryBoyId)) throw badUserInput('filter.deliveryBoyId', 'is not a valid id');
    where.deliveryBoyIds.push(filter.deliveryBoyId.toLowerCase());
  }
  return where;
}

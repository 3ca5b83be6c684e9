// Staff administration (SPEC §1, §2): only admins create staff accounts, change roles and statuses, and
// unlock accounts; every such change is written to the audit log. Granting a facet role creates the facet
// with defaults; removing the role keeps the facet and its history. Lookup and listing for staff.
import type { Role } from '../../auth/roles.js';
import { isAdmin, type Viewer } from '../../auth/viewer.js';
import type { Database, DatabaseClient } from '../../db/client.js';
import { isUniqueViolation } from '../../db/errors.js';
import { keyKinds, keyOf } from '../../db/keyset.js';
import type { PaymentFrequency, UserStatus as StoredStatus } from '../../generated/prisma/enums.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput, conflict, notFound } from '../../shared/errors.js';
import { parseIdentifier, requireEmail, requirePhone } from '../../shared/identifiers.js';
import { assertPaise } from '../../shared/money.js';
import { pageRequest, toConnection, type PageArgs } from '../../shared/pagination.js';
import { recordSignup } from '../activation/index.js';
import type { AttemptCounters } from './attempt-counters.js';
import { checkName } from './auth.service.js';
import { recordAudit } from '../audit/index.js';
import { accountKey, passwordKeysOf } from './identity.keys.js';
import { USER_ORDER, type IdentityRepository, type UserListScope } from './identity.repository.js';
import type { PasswordHasher } from './password.hasher.js';
import { checkPasswordPolicy } from './password.policy.js';
import type { SessionService } from './session.service.js';

export interface CreateStaffUserInput {
  name: string;
  roles: Role[];
  email?: string | null;
  phone?: string | null;
  password?: string | null;
  deliveryBoy?: { ratePerDeliveryPaise?: number | null; paymentFrequency?: PaymentFrequency | null; area?: string | null } | null;
  supplier?: { businessName: string; commissionRateBps?: number | null } | null;
}

export interface UserFilter {
  role?: Role | null;
  status?: string | null;
  search?: string | null;
}

export class UserAdminService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly users: IdentityRepository,
    private readonly hasher: PasswordHasher,
    private readonly sessions: SessionService,
    private readonly counters: AttemptCounters,
  ) {}

  async createStaffUser(viewer: Viewer, input: CreateStaffUserInput) {
    const name = checkName('input.name', input.name);
    const roles = [...new Set(input.roles)];
    if (roles.length === 0) throw badUserInput('input.roles', 'give at least one role');
    const email = input.email ? requireEmail('input.email', input.email) : null;
    const phone = input.phone ? requirePhone('input.phone', input.phone) : null;
    if (!email && !phone) throw badUserInput('input', 'give an email or a phone');
    if (input.deliveryBoy && !roles.includes('DELIVERY_BOY')) throw badUserInput('input.deliveryBoy', 'needs the DELIVERY_BOY role');
    if (input.supplier && !roles.includes('SUPPLIER')) throw badUserInput('input.supplier', 'needs the SUPPLIER role');
    if (input.deliveryBoy?.ratePerDeliveryPaise != null) {
      assertPaise('input.deliveryBoy.ratePerDeliveryPaise', input.deliveryBoy.ratePerDeliveryPaise, { max: 100_000_00 });
    }
    const commission = input.supplier?.commissionRateBps;
    if (commission != null && (!Number.isInteger(commission) || commission < 0 || commission > 10_000)) {
      throw badUserInput('input.supplier.commissionRateBps', 'must be a whole number of basis points from 0 to 10000');
    }
    const businessName = input.supplier ? checkName('input.supplier.businessName', input.supplier.businessName) : name;
    const area = input.deliveryBoy?.area?.trim() ? checkName('input.deliveryBoy.area', input.deliveryBoy.area) : null;
    if (input.password) checkPasswordPolicy('input.password', input.password, { email, phone });
    if (await this.users.isContactTaken({ email, phone })) throw conflict('email or phone already registered');
    const password = input.password ? await this.hasher.hash(input.password) : null;
    const now = this.clock.now();
    try {
      return await this.db.$transaction(async (tx) => {
        const user = await this.users.createUserWithCustomer(
          tx,
          {
            name,
            email,
            phone,
            roles,
            passwordHash: password?.hash,
            passwordScheme: password ? 'BCRYPT_SHA256' : undefined,
            customer: roles.includes('CUSTOMER') ? { signedUpById: viewer.userId } : null,
          },
          now,
        );
        if (user.customer) await recordSignup(tx, user.customer, now, 'marketing');
        await this.ensureFacets(tx, user.id, roles, {
          name: businessName,
          deliveryBoy: input.deliveryBoy && { ...input.deliveryBoy, area },
          supplier: input.supplier,
        });
        await recordAudit(tx, {
          actorId: viewer.userId,
          targetUserId: user.id,
          action: 'user.create',
          subject: { type: 'User', id: user.id },
          before: null,
          after: { name, roles },
          at: now,
        });
        const { customer: _customer, ...row } = user;
        return row;
      });
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('email or phone already registered');
      throw error;
    }
  }

  /** Holding a facet role means having the facet: missing ones are created with defaults. */
  private async ensureFacets(
    tx: DatabaseClient,
    userId: string,
    roles: Role[],
    details: { name: string; deliveryBoy?: CreateStaffUserInput['deliveryBoy']; supplier?: CreateStaffUserInput['supplier'] },
  ) {
    if (roles.includes('DELIVERY_BOY')) {
      await this.users.ensureDeliveryBoy(tx, userId, {
        ratePerDeliveryPaise: details.deliveryBoy?.ratePerDeliveryPaise ?? 3000,
        paymentFrequency: details.deliveryBoy?.paymentFrequency ?? 'WEEKLY',
        area: details.deliveryBoy?.area ?? null,
      });
    }
    if (roles.includes('SUPPLIER')) {
      await this.users.ensureSupplier(tx, userId, {
        businessName: details.supplier?.businessName ?? details.name,
        commissionRateBps: details.supplier?.commissionRateBps ?? 1000,
      });
    }
  }

  async setUserRoles(viewer: Viewer, userId: string, rolesInput: Role[]) {
    const roles = [...new Set(rolesInput)];
    const user = await this.users.findUserById(userId);
    if (!user) throw notFound('user');
    if (userId === viewer.userId && !roles.includes('ADMIN')) throw badUserInput('roles', 'you cannot remove your own ADMIN role');
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      if (roles.includes('CUSTOMER')) {
        const existing = await this.users.findCustomerOfUser(tx, userId);
        if (!existing) {
          const customer = await this.users.createCustomerOf(tx, userId, user, now);
          await recordSignup(tx, customer, now, 'marketing');
        }
      }
      await this.ensureFacets(tx, userId, roles, { name: user.name });
      const updated = await this.users.setRoles(tx, userId, roles);
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: userId,
        action: 'user.set-roles',
        subject: { type: 'User', id: userId },
        before: { roles: user.roles },
        after: { roles },
        at: now,
      });
      return updated;
    });
  }

  async setUserStatus(viewer: Viewer, userId: string, status: string) {
    if (status === 'LOCKED') throw badUserInput('status', 'LOCKED follows from failed sign-ins; use DISABLED to stop an account');
    const user = await this.users.findUserById(userId);
    if (!user) throw notFound('user');
    if (userId === viewer.userId && status !== 'ACTIVE') throw badUserInput('status', 'you cannot disable your own account');
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const updated = await this.users.setStatus(tx, userId, status as StoredStatus);
      if (status !== 'ACTIVE') await this.sessions.revokeAll(userId, now, `status-${status.toLowerCase()}`, { db: tx });
      await recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: userId,
        action: 'user.set-status',
        subject: { type: 'User', id: userId },
        before: { status: user.status },
        after: { status },
        at: now,
      });
      return updated;
    });
  }

  async unlockUser(viewer: Viewer, userId: string) {
    const user = await this.users.findUserById(userId);
    if (!user) throw notFound('user');
    const now = this.clock.now();
    const lockedUntil = await this.counters.lockedUntil(accountKey(user.id), now);
    await this.counters.reset(...passwordKeysOf(user));
    await recordAudit(this.db, {
      actorId: viewer.userId,
      targetUserId: userId,
      action: 'user.unlock',
      subject: { type: 'User', id: userId },
      before: { lockedUntil: lockedUntil?.toISOString() ?? null },
      after: { lockedUntil: null },
      at: now,
    });
    return user;
  }

  async lookup(identifierText: string) {
    const identifier = parseIdentifier(identifierText);
    if (!identifier) throw badUserInput('identifier', 'must be an email or an Indian mobile number');
    return this.users.findUserByIdentifier(identifier);
  }

  async userById(viewer: Viewer, id: string) {
    // Non-admins see only themselves; anyone else's id answers null, existing or not.
    if (!isAdmin(viewer) && id !== viewer.userId) return null;
    if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
    return this.users.findUserById(id);
  }

  async list(args: PageArgs, filter: UserFilter | null | undefined) {
    const request = pageRequest(args, keyKinds(USER_ORDER));
    const scope: UserListScope = { role: filter?.role ?? null, status: null, search: null };
    if (filter?.status === 'LOCKED') throw badUserInput('filter.status', 'LOCKED is not a stored status; list ACTIVE users instead');
    if (filter?.status) scope.status = filter.status as StoredStatus;
    const search = filter?.search?.trim();
    if (search) {
      if (search.length > 100) throw badUserInput('filter.search', 'must be at most 100 characters');
      scope.search = { name: search, email: search.toLowerCase(), phone: search.replace(/[^\d+]/g, '') || search };
    }
    const { rows, totalCount } = await this.users.listPage(scope, request);
    return toConnection(rows, request, totalCount, (row) => keyOf(USER_ORDER, row));
  }
}

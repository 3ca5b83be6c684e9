// SPEC §9 steps 1–6: one identity per person. Legacy users are kept (or archived), duplicate customers
// merged, every customer linked to a user (the legacy user with its phone or email, else a new login-less
// user it can claim by OTP), delivery boys and suppliers linked the same way. Pure: no database here.
import { Role } from '../generated/prisma/enums.js';
import { startOfIstDay } from '../shared/time.js';
import { groupDuplicateCustomers, type CustomerGroup } from './customer-merging.js';
import { IdentityRegistry } from './identity-registry.js';
import {
  linkKeyText,
  loginlessUser,
  type PlannedCustomer,
  type PlannedDeliveryBoy,
  type PlannedSupplier,
  type PlannedUser,
  type SetAside,
} from './import-plan.js';
import type { LegacyCustomer, LegacyDeliveryBoy, LegacySupplier, LegacyUser, ProblemSink } from './legacy-records.js';
import type { ReferenceIndex } from './reference-index.js';
import { linkOrCreateStaffUser, linkStaffToLegacyUser } from './staff-linking.js';

/** SPEC §9 step 6: users created before this day (IST) with nothing attached are archived. */
const ARCHIVE_BEFORE = startOfIstDay('2025-06-01');
const STAFF_ROLES: Record<string, Role> = {
  delivery_boy: Role.DELIVERY_BOY,
  supplier: Role.SUPPLIER,
  marketing_staff: Role.MARKETING_STAFF,
  admin: Role.ADMIN,
};

interface IdentityInput {
  users: ReferenceIndex<LegacyUser>;
  customers: ReferenceIndex<LegacyCustomer>;
  deliveryBoys: ReferenceIndex<LegacyDeliveryBoy>;
  suppliers: ReferenceIndex<LegacySupplier>;
  /** Subscriptions per customers_v2 id (the survivor rule). */
  subscriptionCounts: ReadonlyMap<string, number>;
  /** Legacy user ids that orders point at. */
  usersWithOrders: ReadonlySet<string>;
  report: ProblemSink;
}

export interface IdentityPlan {
  users: Map<string, PlannedUser>;
  customers: PlannedCustomer[];
  customerKeyByUserId: Map<string, string>;
  customerKeyByCustomerId: Map<string, string>;
  deliveryBoys: PlannedDeliveryBoy[];
  suppliers: PlannedSupplier[];
  archived: SetAside[];
  quarantined: SetAside[];
}

const byCreatedThenId = (left: LegacyUser, right: LegacyUser): number => {
  const leftCreated = left.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
  const rightCreated = right.createdAt?.getTime() ?? Number.POSITIVE_INFINITY;
  if (leftCreated !== rightCreated) return leftCreated < rightCreated ? -1 : 1;
  return left.id < right.id ? -1 : 1;
};

/** The state the planning steps share: the input, the contacts claimed so far and the plan being built. */
interface Planning {
  input: IdentityInput;
  report: ProblemSink;
  registry: IdentityRegistry;
  users: Map<string, PlannedUser>;
  plan: IdentityPlan;
}

/** Which customer group each legacy user was linked to, and the reverse. */
interface CustomerLinks {
  groups: CustomerGroup[];
  claimed: Map<string, CustomerGroup>;
  linkOf: Map<CustomerGroup, string>;
}

/** The staff documents' links to legacy users, and the users each kind of staff has taken. */
interface StaffLinks {
  takenByBoys: Set<string>;
  takenBySuppliers: Set<string>;
  boyLinks: Map<LegacyDeliveryBoy, string | null>;
  supplierLinks: Map<LegacySupplier, string | null>;
}

export function planIdentities(input: IdentityInput): IdentityPlan {
  const users = new Map<string, PlannedUser>();
  const planning: Planning = {
    input,
    report: input.report,
    registry: new IdentityRegistry(),
    users,
    plan: {
      users,
      customers: [],
      customerKeyByUserId: new Map(),
      customerKeyByCustomerId: new Map(),
      deliveryBoys: [],
      suppliers: [],
      archived: [],
      quarantined: [],
    },
  };
  planLegacyUsers(planning);
  const customerLinks = linkCustomerGroups(planning);
  const staffLinks = linkStaffDocuments(planning);
  const secondaryGroup = findSecondaryLogins(planning, customerLinks);
  const facetUsers = archiveIdleUsers(planning, customerLinks, staffLinks, secondaryGroup);
  planCustomers(planning, customerLinks, secondaryGroup, facetUsers);
  planStaff(planning, staffLinks);
  assignFacetRoles(planning.plan);
  return planning.plan;
}

/** Legacy users, oldest first: the oldest account keeps a phone or email that several accounts share. */
function planLegacyUsers({ input, report, registry, users, plan }: Planning): void {
  for (const user of [...input.users.values()].sort(byCreatedThenId)) {
    const key = { collection: 'users' as const, legacyId: user.id };
    const userKey = linkKeyText(key);
    const phone = registry.claimPhone(user.phone, userKey) ? user.phone : null;
    if (user.phone !== null && phone === null) report({ collection: 'users', id: user.id, reason: 'DUPLICATE_PHONE', detail: user.phone });
    const email = registry.claimEmail(user.email, userKey) ? user.email : null;
    if (user.email !== null && email === null) report({ collection: 'users', id: user.id, reason: 'DUPLICATE_EMAIL', detail: user.email });
    if (phone === null && email === null) {
      plan.quarantined.push({ collection: 'users', legacyId: user.id, reason: 'NO_CONTACT' });
      report({ collection: 'users', id: user.id, reason: 'NO_CONTACT' });
      continue;
    }
    const roles = new Set<Role>();
    const staffRole = user.role === null ? undefined : STAFF_ROLES[user.role];
    if (staffRole) roles.add(staffRole);
    else if (user.role !== null && user.role !== 'customer') report({ collection: 'users', id: user.id, reason: 'UNKNOWN_ROLE', detail: user.role });
    users.set(userKey, {
      key,
      legacyUser: user,
      name: user.name,
      email,
      phone,
      password: user.password,
      roles,
      status: user.isActive ? 'ACTIVE' : 'DISABLED',
      legacyIds: [user.id],
      createdAt: user.createdAt,
    });
  }
}

/** Customers: merge duplicates, then link each to a legacy user by phone, else email, else its user_id. */
function linkCustomerGroups({ input, report, registry, users, plan }: Planning): CustomerLinks {
  const { groups, unreachable } = groupDuplicateCustomers(input.customers.values(), input.subscriptionCounts);
  for (const customer of unreachable) {
    plan.quarantined.push({ collection: 'customers_v2', legacyId: customer.id, reason: 'INVALID_PHONE' });
    report({ collection: 'customers_v2', id: customer.id, reason: 'QUARANTINED', detail: 'INVALID_PHONE: no usable phone or email' });
  }
  const claimed = new Map<string, CustomerGroup>();
  const linkOf = new Map<CustomerGroup, string>();
  const tryLink = (group: CustomerGroup, userKey: string | undefined): boolean => {
    if (userKey === undefined || claimed.has(userKey) || !users.has(userKey)) return false;
    claimed.set(userKey, group);
    linkOf.set(group, userKey);
    return true;
  };
  for (const group of groups) tryLink(group, registry.holderOfPhone(group.merged.phone));
  for (const group of groups) {
    if (linkOf.has(group)) continue;
    const emails = [group.merged.email, ...group.members.map((member) => member.email)];
    emails.some((email) => tryLink(group, registry.holderOfEmail(email)));
  }
  for (const group of groups) {
    if (linkOf.has(group)) continue;
    group.members.some((member) => {
      const referenced = input.users.get(member.userRef);
      return referenced !== undefined && tryLink(group, linkKeyText({ collection: 'users', legacyId: referenced.id }));
    });
  }
  return { groups, claimed, linkOf };
}

/** Staff documents link to legacy users before archiving, so a linked login counts as staff. */
function linkStaffDocuments({ input, registry, users }: Planning): StaffLinks {
  const takenByBoys = new Set<string>();
  const takenBySuppliers = new Set<string>();
  const boyLinks = new Map<LegacyDeliveryBoy, string | null>();
  for (const boy of input.deliveryBoys.values()) boyLinks.set(boy, linkStaffToLegacyUser(boy, input.users, users, registry, takenByBoys));
  const supplierLinks = new Map<LegacySupplier, string | null>();
  for (const supplier of input.suppliers.values()) {
    supplierLinks.set(supplier, linkStaffToLegacyUser(supplier, input.users, users, registry, takenBySuppliers));
  }
  return { takenByBoys, takenBySuppliers, boyLinks, supplierLinks };
}

/** A second login of an already linked person (same email): its orders belong to that customer. */
function findSecondaryLogins({ report, users }: Planning, { groups, claimed }: CustomerLinks): Map<string, CustomerGroup> {
  const groupByEmail = new Map<string, CustomerGroup | null>();
  for (const group of groups) {
    for (const email of new Set(group.members.map((member) => member.email).filter((email): email is string => email !== null))) {
      groupByEmail.set(email, groupByEmail.has(email) ? null : group);
    }
  }
  const secondaryGroup = new Map<string, CustomerGroup>();
  for (const [userKey, user] of users) {
    if (claimed.has(userKey) || user.email === null) continue;
    const group = groupByEmail.get(user.email);
    if (group) {
      secondaryGroup.set(userKey, group);
      report({ collection: 'users', id: user.key.legacyId, reason: 'DUPLICATE_LOGIN', detail: `orders go to customer ${group.survivor.id}` });
    }
  }
  return secondaryGroup;
}

/** Legacy users with no customer: archive the old idle ones, give the rest a customer facet (returned). */
function archiveIdleUsers(
  { input, report, registry, users, plan }: Planning,
  { claimed }: CustomerLinks,
  { takenByBoys, takenBySuppliers }: StaffLinks,
  secondaryGroup: ReadonlyMap<string, CustomerGroup>,
): PlannedUser[] {
  const facetUsers: PlannedUser[] = [];
  for (const [userKey, user] of users) {
    const legacy = user.legacyUser as LegacyUser;
    if (claimed.has(userKey) || secondaryGroup.has(userKey)) continue;
    const isStaff = user.roles.size > 0 || takenByBoys.has(userKey) || takenBySuppliers.has(userKey);
    const hasOrders = input.usersWithOrders.has(legacy.id);
    if (!isStaff && !hasOrders && legacy.createdAt !== null && legacy.createdAt.getTime() < ARCHIVE_BEFORE.getTime()) {
      users.delete(userKey);
      registry.release(user.phone, user.email, userKey);
      plan.archived.push({ collection: 'users', legacyId: legacy.id, reason: 'INACTIVE_BEFORE_2025_06_01' });
      report({ collection: 'users', id: legacy.id, reason: 'ARCHIVED', detail: 'no customer, staff role or orders; created before 2025-06-01' });
    } else if (!isStaff || hasOrders) {
      facetUsers.push(user);
    }
  }
  return facetUsers;
}

/** The customers: one per group, a second login pointed at its group's, and one per customer-facet user. */
function planCustomers(
  { report, registry, users, plan }: Planning,
  { groups, linkOf }: CustomerLinks,
  secondaryGroup: ReadonlyMap<string, CustomerGroup>,
  facetUsers: readonly PlannedUser[],
): void {
  for (const group of groups) planGroupCustomer(group, linkOf.get(group), plan, registry, report);
  for (const [userKey, group] of secondaryGroup) {
    const customerKey = plan.customerKeyByCustomerId.get(group.survivor.id);
    if (customerKey) plan.customerKeyByUserId.set((users.get(userKey) as PlannedUser).key.legacyId, customerKey);
  }
  for (const user of facetUsers) {
    const legacy = user.legacyUser as LegacyUser;
    const key = { collection: 'users.customer' as const, legacyId: legacy.id };
    plan.customers.push({
      key,
      userKey: linkKeyText(user.key),
      memberIds: [],
      merged: null,
      members: [],
      fromUser: legacy,
      phone: user.phone,
      email: user.email,
      linkedToLegacyUser: false,
      activation: null,
    });
    plan.customerKeyByUserId.set(legacy.id, linkKeyText(key));
  }
}

/** Delivery boys and suppliers: linked, given a user of their own, or quarantined without a contact. */
function planStaff({ report, registry, users, plan }: Planning, { takenByBoys, takenBySuppliers, boyLinks, supplierLinks }: StaffLinks): void {
  for (const [boy, linked] of boyLinks) {
    const link = linked !== null ? { userKey: linked, linkedToUser: true } : linkOrCreateStaffUser(boy, 'delivery_boys.user', users, registry, takenByBoys);
    if (link === null) {
      plan.quarantined.push({ collection: 'delivery_boys', legacyId: boy.id, reason: 'NO_CONTACT' });
      report({ collection: 'delivery_boys', id: boy.id, reason: 'NO_CONTACT' });
      continue;
    }
    plan.deliveryBoys.push({ key: { collection: 'delivery_boys', legacyId: boy.id }, legacy: boy, ...link });
  }
  for (const [supplier, linked] of supplierLinks) {
    const link =
      linked !== null ? { userKey: linked, linkedToUser: true } : linkOrCreateStaffUser(supplier, 'suppliers.user', users, registry, takenBySuppliers);
    if (link === null) {
      plan.quarantined.push({ collection: 'suppliers', legacyId: supplier.id, reason: 'NO_CONTACT' });
      report({ collection: 'suppliers', id: supplier.id, reason: 'NO_CONTACT' });
      continue;
    }
    plan.suppliers.push({ key: { collection: 'suppliers', legacyId: supplier.id }, legacy: supplier, ...link });
  }
  // Staff roles without a staff document still get their facet, with defaults.
  for (const [userKey, user] of users) {
    if (user.roles.has(Role.DELIVERY_BOY) && !takenByBoys.has(userKey)) {
      plan.deliveryBoys.push({ key: { collection: 'users.deliveryBoy', legacyId: user.key.legacyId }, userKey, legacy: null, linkedToUser: true });
    }
    if (user.roles.has(Role.SUPPLIER) && !takenBySuppliers.has(userKey)) {
      plan.suppliers.push({ key: { collection: 'users.supplier', legacyId: user.key.legacyId }, userKey, legacy: null, linkedToUser: true });
    }
  }
}

function planGroupCustomer(group: CustomerGroup, linkedUserKey: string | undefined, plan: IdentityPlan, registry: IdentityRegistry, report: ProblemSink): void {
  const { merged, survivor } = group;
  const key = { collection: 'customers_v2' as const, legacyId: survivor.id };
  let userKey = linkedUserKey;
  if (userKey !== undefined) {
    // The linked login gets the customer's phone or email where it has none (OTP login finds it by phone).
    const user = plan.users.get(userKey) as PlannedUser;
    if (user.phone === null && registry.claimPhone(merged.phone, userKey)) user.phone = merged.phone;
    if (user.email === null && registry.claimEmail(merged.email, userKey)) user.email = merged.email;
  } else {
    const userLinkKey = { collection: 'customers_v2.user' as const, legacyId: survivor.id };
    userKey = linkKeyText(userLinkKey);
    const phone = registry.claimPhone(merged.phone, userKey) ? merged.phone : null;
    const email = registry.claimEmail(merged.email, userKey) ? merged.email : null;
    if (merged.email !== null && email === null) {
      report({ collection: 'customers_v2', id: survivor.id, reason: 'EMAIL_HELD_BY_OTHER_USER', detail: merged.email });
    }
    if (phone === null && email === null) {
      for (const member of group.members) {
        plan.quarantined.push({ collection: 'customers_v2', legacyId: member.id, reason: 'AMBIGUOUS_IDENTITY' });
        report({ collection: 'customers_v2', id: member.id, reason: 'QUARANTINED', detail: 'AMBIGUOUS_IDENTITY: its email belongs to another person' });
      }
      return;
    }
    plan.users.set(userKey, loginlessUser(userLinkKey, merged.name ?? '', email, phone, merged.createdAt));
  }
  const customerKey = linkKeyText(key);
  for (const member of group.members) {
    plan.customerKeyByCustomerId.set(member.id, customerKey);
    if (member !== survivor) report({ collection: 'customers_v2', id: member.id, reason: 'MERGED', detail: `into ${survivor.id}` });
  }
  const linkedUser = plan.users.get(userKey) as PlannedUser;
  if (linkedUser.legacyUser) plan.customerKeyByUserId.set(linkedUser.legacyUser.id, customerKey);
  plan.customers.push({
    key,
    userKey,
    memberIds: group.members.map((member) => member.id),
    merged,
    members: group.members,
    fromUser: linkedUser.legacyUser,
    phone: merged.phone,
    email: merged.email,
    linkedToLegacyUser: linkedUserKey !== undefined,
    activation: null,
  });
}

function assignFacetRoles(plan: IdentityPlan): void {
  for (const customer of plan.customers) plan.users.get(customer.userKey)?.roles.add(Role.CUSTOMER);
  for (const boy of plan.deliveryBoys) plan.users.get(boy.userKey)?.roles.add(Role.DELIVERY_BOY);
  for (const supplier of plan.suppliers) plan.users.get(supplier.userKey)?.roles.add(Role.SUPPLIER);
}

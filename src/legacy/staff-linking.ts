// SPEC §9 step 4: delivery boys and suppliers are linked to a user by their user_id, else phone, else
// email; one without any gets a new login-less user. A legacy user whose role is delivery_boy or supplier
// but who has no such document still gets the facet (holding the role means having the facet, SPEC §1).
import type { LegacyUser } from './legacy-records.js';
import type { IdentityRegistry } from './identity-registry.js';
import type { LinkCollection, PlannedUser } from './import-plan.js';
import { linkKeyText, loginlessUser } from './import-plan.js';
import type { ReferenceIndex } from './reference-index.js';

interface StaffRecord {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  userRef: string | null;
}

interface StaffLink {
  userKey: string;
  linkedToUser: boolean;
}

/** Links to an existing legacy user, or returns null (the caller decides after customers are planned). */
export function linkStaffToLegacyUser(
  record: StaffRecord,
  users: ReferenceIndex<LegacyUser>,
  plannedUsers: ReadonlyMap<string, PlannedUser>,
  registry: IdentityRegistry,
  taken: Set<string>,
): string | null {
  const referenced = users.get(record.userRef);
  const candidates = [
    referenced ? linkKeyText({ collection: 'users', legacyId: referenced.id }) : undefined,
    registry.holderOfPhone(record.phone),
    registry.holderOfEmail(record.email),
  ];
  for (const candidate of candidates) {
    if (candidate === undefined || taken.has(candidate) || !plannedUsers.has(candidate)) continue;
    taken.add(candidate);
    return candidate;
  }
  return null;
}

/**
 * After customers have their users: an unlinked staff record joins the user holding its phone or email
 * (a delivery boy who is also a customer), else gets a new login-less user. Null when it has no contact.
 */
export function linkOrCreateStaffUser(
  record: StaffRecord,
  collection: LinkCollection,
  plannedUsers: Map<string, PlannedUser>,
  registry: IdentityRegistry,
  taken: Set<string>,
): StaffLink | null {
  for (const candidate of [registry.holderOfPhone(record.phone), registry.holderOfEmail(record.email)]) {
    if (candidate === undefined || taken.has(candidate)) continue;
    taken.add(candidate);
    return { userKey: candidate, linkedToUser: true };
  }
  if (record.phone === null && record.email === null) return null;
  const key = { collection, legacyId: record.id };
  const userKey = linkKeyText(key);
  const phone = registry.claimPhone(record.phone, userKey) ? record.phone : null;
  const email = registry.claimEmail(record.email, userKey) ? record.email : null;
  plannedUsers.set(userKey, loginlessUser(key, record.name, email, phone, null));
  taken.add(userKey);
  return { userKey, linkedToUser: false };
}

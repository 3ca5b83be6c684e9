import type { Role } from './roles.js';

/** The authenticated caller, loaded fresh on every request (SPEC §2 "session check"). */
export interface Viewer {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: ReadonlySet<Role>;
  readonly customerId: string | null;
  readonly deliveryBoyId: string | null;
  readonly supplierId: string | null;
}

export function hasRole(viewer: Viewer | null, role: Role): boolean {
  return viewer !== null && viewer.roles.has(role);
}

export function isAdmin(viewer: Viewer | null): boolean {
  return hasRole(viewer, 'ADMIN');
}

/**
 * Marks a User object returned by login/register/refresh/OTP: that request had no viewer yet, but the
 * payload's user is the session just issued, so owner grants apply to it.
 */
export const ISSUED_TO = Symbol('issuedTo');

export function viewerFor(context: { viewer: Viewer | null }, parent: unknown): Viewer | null {
  if (context.viewer) return context.viewer;
  if (parent && typeof parent === 'object' && ISSUED_TO in parent) {
    return (parent as { [ISSUED_TO]: Viewer })[ISSUED_TO];
  }
  return null;
}

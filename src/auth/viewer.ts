import type { Role } from './roles.js';

/** The authenticated caller, loaded fresh on every request (SPEC §2 "session check"). */
export interface Viewer {
  readonly userId: string;
  readonly sessionId: string;
  readonly roles: ReadonlySet<Role>;
  readonly customerId: string | null;
  readonly deliveryBoyId: string | null;
  readonly supplierId: string | null;
  /**
   * What this session still owes before it may do anything else (docs/authentication.md): ENROL, a second
   * factor (a required role with none enrolled); VERIFY, a proof of the one enrolled. Absent: nothing.
   */
  readonly secondFactorPending?: 'ENROL' | 'VERIFY' | null;
  /** When this session last proved a second factor; step-up reads it. */
  readonly secondFactorAt?: Date | null;
  /** Whether sensitive mutations need a recent second factor: a required role, or a factor enrolled. */
  readonly needsStepUp?: boolean;
}

export function hasRole(viewer: Viewer | null, role: Role): boolean {
  return viewer !== null && viewer.roles.has(role);
}

export function isAdmin(viewer: Viewer | null): boolean {
  return hasRole(viewer, 'ADMIN');
}

/** Where a field sits in the operation: graphql-js's response path. */
interface FieldPosition {
  readonly path: { readonly key: string | number; readonly prev: FieldPosition['path'] | undefined };
}

/** What `viewerFor` reads from the request context. */
export interface ViewerSource {
  readonly viewer: Viewer | null;
  /** The sessions this request's sign-in mutations issued, by the response key of their root field. */
  issuedViewers?: Map<string, Viewer>;
}

/**
 * A sign-in mutation (login, register, verifyOtp, refreshSession) answers for the user it signs in, not
 * for whatever token came with the request: everything under its root field is judged for that viewer.
 */
export function recordIssuedViewer(context: ViewerSource, info: FieldPosition, viewer: Viewer): void {
  (context.issuedViewers ??= new Map()).set(String(info.path.key), viewer);
}

/** The viewer a field is judged for: the session issued by the sign-in above it, else the request's. */
export function viewerFor(context: ViewerSource, info: FieldPosition): Viewer | null {
  const issued = context.issuedViewers;
  if (issued === undefined) return context.viewer;
  let path = info.path;
  while (path.prev !== undefined) path = path.prev;
  return issued.get(String(path.key)) ?? context.viewer;
}

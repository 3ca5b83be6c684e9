// Pure rules shared by orders and subscriptions: which customer an order is for, and whether a date is
// one a delivery can still be planned for.
import { hasRole, isAdmin, type Viewer } from '../../auth/viewer.js';
import { badUserInput, forbidden } from '../../shared/errors.js';
import { formatDateOnly, istDateString } from '../../shared/time.js';
import { isUuid } from '../../shared/input-checks.js';

/** How far ahead an order or a subscription start may be planned. */
export const MAX_DAYS_AHEAD = 90;

/**
 * Customers act for themselves (naming another customer is FORBIDDEN); the listed staff roles must name
 * the customer (or act for their own customer facet when they have one).
 */
export function customerActedFor(viewer: Viewer, requested: string | null | undefined, staffRoles: readonly ('ADMIN' | 'MARKETING_STAFF')[]): string {
  const isStaff = isAdmin(viewer) || staffRoles.some((role) => hasRole(viewer, role));
  if (requested !== null && requested !== undefined) {
    if (isStaff) {
      if (!isUuid(requested)) throw badUserInput('input.customerId', 'no such customer');
      return requested.toLowerCase();
    }
    if (requested.toLowerCase() === viewer.customerId) return viewer.customerId;
    throw forbidden('you may act only for yourself');
  }
  if (viewer.customerId) return viewer.customerId;
  throw badUserInput('input.customerId', 'name the customer');
}

/** A calendar day from today (IST) up to MAX_DAYS_AHEAD days ahead. */
export function checkPlannableDate(field: string, date: Date, now: Date): void {
  const today = istDateString(now);
  const day = formatDateOnly(date);
  if (day < today) throw badUserInput(field, `must be today (${today}) or later`);
  const latest = formatDateOnly(new Date(Date.parse(`${today}T00:00:00Z`) + MAX_DAYS_AHEAD * 86_400_000));
  if (day > latest) throw badUserInput(field, `must be at most ${MAX_DAYS_AHEAD} days ahead`);
}

/**
 * SPEC §3: a delivery boy reads the orders he delivers whose delivery date is today (IST), and no other
 * day's; the rows of past days stay his only as earnings (counts and amounts).
 */
export function isOnTodaysRoute(deliveryBoyId: string | null, order: { deliveryBoyId: string | null; deliveryDate: Date | string }, now: Date): boolean {
  if (deliveryBoyId === null || order.deliveryBoyId !== deliveryBoyId) return false;
  return formatDateOnly(new Date(order.deliveryDate)) === istDateString(now);
}

// Checks of free text, ids and quantities that every commerce input shares. Ids are validated before they
// reach a `uuid` column: a malformed id is the client's mistake (BAD_USER_INPUT), not a database error.
import { badUserInput } from './errors.js';
import { requireDisplayText } from './text.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const MAX_QUANTITY = 100;

export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}

export function requireUuid(field: string, value: string): string {
  if (!isUuid(value)) throw badUserInput(field, 'is not a valid id');
  return value.toLowerCase();
}

/** Text that people read back: no control characters and no invisible formatting (shared/text.ts). */
export function requireText(field: string, value: string, maxLength = 100): string {
  return requireDisplayText(field, value, maxLength);
}

/** Empty or missing text becomes null; anything else must pass requireText. */
export function optionalText(field: string, value: string | null | undefined, maxLength = 500): string | null {
  if (value === null || value === undefined || value.trim().length === 0) return null;
  return requireText(field, value, maxLength);
}

export function requireQuantity(field: string, quantity: number): number {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) {
    throw badUserInput(field, `must be a whole number from 1 to ${MAX_QUANTITY}`);
  }
  return quantity;
}

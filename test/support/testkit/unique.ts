// Unique contact details, so tests never depend on each other.
import { randomInt } from 'node:crypto';

let sequence = 0;

export function uniquePhone(): string {
  sequence += 1;
  return `+919${String(randomInt(0, 1_000_000)).padStart(6, '0')}${String(sequence % 1000).padStart(3, '0')}`;
}

export function uniqueEmail(prefix = 'user'): string {
  sequence += 1;
  return `${prefix}.${Date.now().toString(36)}.${sequence}@example.in`;
}

export const STRONG_PASSWORD = 'correct horse battery staple 42';

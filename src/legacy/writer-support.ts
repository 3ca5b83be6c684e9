// Helpers shared by the import writers: ids, the LegacyLink map, fill-only patches, JSON for documents.
import { randomBytes } from 'node:crypto';
import { EJSON } from 'bson';
import type { Prisma } from '../generated/prisma/client.js';
import type { LinkKey } from './import-plan.js';

/**
 * A UUIDv7 (RFC 9562), the form of the schema's `@default(uuid(7))`. Made here rather than by Prisma
 * because the writer needs a row's id before the row exists, to write whole batches with createMany.
 */
export function uuidV7(now = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Which row each legacy key became (LegacyLink), loaded once and kept current as batches commit. */
export class LinkMap {
  private readonly entities = new Map<string, string>();

  set(keyText: string, entityId: string): void {
    this.entities.set(keyText, entityId);
  }

  get(keyText: string | null | undefined): string | undefined {
    return keyText ? this.entities.get(keyText) : undefined;
  }

  require(keyText: string): string {
    const id = this.entities.get(keyText);
    if (id === undefined) throw new Error(`legacy import: ${keyText} has not been written`);
    return id;
  }
}

export function linkRow(key: LinkKey, entityType: string, entityId: string): Prisma.LegacyLinkCreateManyInput {
  return { collection: key.collection, legacyId: key.legacyId, entityType, entityId };
}

/**
 * The fields of `desired` to write on a row that already exists: only those the row leaves empty, and
 * array fields as the union. An imported row belongs to the live system after the first import, so a
 * re-run never overwrites what it holds (a re-hashed password, a changed phone, a newer status).
 */
export function fillOnlyPatch(
  existing: Record<string, unknown>,
  desired: Record<string, unknown>,
  unionFields: readonly string[] = [],
): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(desired)) {
    if (value === null || value === undefined) continue;
    if (unionFields.includes(field)) {
      const current = (existing[field] as unknown[] | null) ?? [];
      const missing = (value as unknown[]).filter((item) => !current.includes(item));
      if (missing.length > 0) patch[field] = [...current, ...missing];
    } else if (existing[field] === null || existing[field] === undefined) {
      patch[field] = value;
    }
  }
  return patch;
}

/** A legacy document as plain JSON (canonical Extended JSON where BSON types appear) for a Json column. */
export function documentJson(document: Record<string, unknown>): Prisma.InputJsonValue {
  return EJSON.serialize(document, { relaxed: true });
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}

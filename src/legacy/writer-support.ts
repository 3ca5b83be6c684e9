// Helpers shared by the import writers: ids, the LegacyLink map, fill-only patches, JSON for documents.
import { randomFillSync } from 'node:crypto';
import { EJSON } from 'bson';
import type { Prisma } from '../generated/prisma/client.js';
import type { LinkKey } from './import-plan.js';
import { insertRows } from './unnest-insert.js';

/** Random bytes for ids, drawn from the system 64 KiB at a time: one call per id was a sixth of an import's CPU. */
const RANDOM_POOL = Buffer.alloc(65_536);
let randomOffset = RANDOM_POOL.length;

/**
 * A UUIDv7 (RFC 9562), the form of the schema's `@default(uuid(7))`. Made here rather than by Prisma
 * because the writer needs a row's id before the row exists, to write a whole batch in one statement.
 */
export function uuidV7(now = Date.now()): string {
  if (randomOffset + 16 > RANDOM_POOL.length) {
    randomFillSync(RANDOM_POOL);
    randomOffset = 0;
  }
  const bytes = Buffer.from(RANDOM_POOL.subarray(randomOffset, randomOffset + 16));
  randomOffset += 16;
  bytes.writeUIntBE(now, 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  // Written out in one piece: a template of five slices would be a rope of string nodes, and the link map
  // keeps one id for every record of the export.
  const hex = bytes.toString('hex');
  for (const [from, to, at] of ID_GROUPS) ID_TEXT.write(hex.slice(from, to), at, 'latin1');
  return ID_TEXT.toString('latin1');
}

/** The hex digits of each group of a UUID's text ([from, to) of the 32 digits) and where the group starts. */
const ID_GROUPS = [
  [0, 8, 0],
  [8, 12, 9],
  [12, 16, 14],
  [16, 20, 19],
  [20, 32, 24],
] as const;
const ID_TEXT = Buffer.from('00000000-0000-0000-0000-000000000000', 'latin1');

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

export async function insertLinks(tx: Prisma.TransactionClient, rows: readonly Prisma.LegacyLinkCreateManyInput[]): Promise<void> {
  await insertRows(tx, 'LegacyLink', { collection: 'text', legacyId: 'text', entityType: 'text', entityId: 'uuid' }, rows);
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

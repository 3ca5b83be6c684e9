// Legacy references name a document by its `id` string or by its `_id` (ObjectId hex, or an ObjectId
// that EJSON turned into one): this index answers both.
import type { Identified } from './legacy-records.js';

export class ReferenceIndex<T extends Identified> {
  private readonly byId = new Map<string, T>();
  private readonly byObjectId = new Map<string, T>();

  constructor(records: Iterable<T> = []) {
    for (const record of records) this.add(record);
  }

  /** False when a record with the same id is already indexed (the caller reports the duplicate). */
  add(record: T): boolean {
    if (this.byId.has(record.id)) return false;
    this.byId.set(record.id, record);
    if (record.objectId !== null && !this.byObjectId.has(record.objectId)) this.byObjectId.set(record.objectId, record);
    return true;
  }

  get(reference: string | null | undefined): T | undefined {
    if (reference === null || reference === undefined) return undefined;
    return this.byId.get(reference) ?? this.byObjectId.get(reference.toLowerCase());
  }

  get size(): number {
    return this.byId.size;
  }

  values(): IterableIterator<T> {
    return this.byId.values();
  }
}

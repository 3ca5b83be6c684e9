// Keeps every document the import did not turn into rows: LegacyQuarantine (owner missing, unusable
// contact, ...) and LegacyArchive (idle old logins, SPEC §9 step 6), each with the full document. A row
// whose document is imported on a later run (the export was corrected) is removed from quarantine.
import type { PrismaClient } from '../generated/prisma/client.js';
import { readDocuments } from './collection-loading.js';
import type { RawDocument } from './export-reader.js';
import type { SetAside } from './import-plan.js';
import type { LegacyCollection } from './legacy-records.js';
import { chunk, documentJson } from './writer-support.js';

const keyOf = (entry: { collection: string; legacyId: string }) => `${entry.collection}|${entry.legacyId}`;

export async function writeSetAside(prisma: PrismaClient, directory: string, quarantined: SetAside[], archived: SetAside[], batchSize: number): Promise<void> {
  const documentOf = await setAsideDocuments(directory, [...quarantined, ...archived]);
  const row = (entry: SetAside) => ({
    collection: entry.collection,
    legacyId: entry.legacyId,
    reason: entry.reason,
    document: documentJson(documentOf(entry)),
  });
  for (const batch of chunk(quarantined, batchSize)) {
    await prisma.legacyQuarantine.createMany({ data: batch.map(row), skipDuplicates: true });
  }
  for (const batch of chunk(archived, batchSize)) {
    await prisma.legacyArchive.createMany({ data: batch.map(row), skipDuplicates: true });
  }
  const wanted = new Set(quarantined.map(keyOf));
  const stale = (await prisma.legacyQuarantine.findMany({ select: { id: true, collection: true, legacyId: true } })).filter((row) => !wanted.has(keyOf(row)));
  for (const batch of chunk(stale, batchSize)) {
    await prisma.legacyQuarantine.deleteMany({ where: { id: { in: batch.map((row) => row.id) } } });
  }
}

/** Each entry's document: its own (orders), else read again from its collection's file. */
async function setAsideDocuments(directory: string, entries: SetAside[]): Promise<(entry: SetAside) => RawDocument> {
  const idsByCollection = new Map<LegacyCollection, Set<string>>();
  for (const entry of entries) {
    if (entry.document) continue;
    const ids = idsByCollection.get(entry.collection) ?? new Set<string>();
    ids.add(entry.legacyId);
    idsByCollection.set(entry.collection, ids);
  }
  const read = new Map<string, RawDocument>();
  for (const [collection, ids] of idsByCollection) {
    for (const [id, document] of await readDocuments(directory, collection, ids)) read.set(keyOf({ collection, legacyId: id }), document);
  }
  return (entry) => entry.document ?? (read.get(keyOf(entry)) as RawDocument);
}

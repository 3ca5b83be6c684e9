// Keeps every document the import did not turn into rows: LegacyQuarantine (owner missing, unusable
// contact, ...) and LegacyArchive (idle old logins, SPEC §9 step 6), each with the full document. A row
// whose document is imported on a later run (the export was corrected) is removed from quarantine.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { SetAside } from './import-plan.js';
import { chunk, documentJson } from './writer-support.js';

const keyOf = (entry: { collection: string; legacyId: string }) => `${entry.collection}|${entry.legacyId}`;

export async function writeSetAside(prisma: PrismaClient, quarantined: SetAside[], archived: SetAside[], batchSize: number): Promise<void> {
  for (const batch of chunk(quarantined, batchSize)) {
    await prisma.legacyQuarantine.createMany({
      data: batch.map((entry) => ({ collection: entry.collection, legacyId: entry.legacyId, reason: entry.reason, document: documentJson(entry.document) })),
      skipDuplicates: true,
    });
  }
  for (const batch of chunk(archived, batchSize)) {
    await prisma.legacyArchive.createMany({
      data: batch.map((entry) => ({ collection: entry.collection, legacyId: entry.legacyId, reason: entry.reason, document: documentJson(entry.document) })),
      skipDuplicates: true,
    });
  }
  const wanted = new Set(quarantined.map(keyOf));
  const stale = (await prisma.legacyQuarantine.findMany({ select: { id: true, collection: true, legacyId: true } })).filter((row) => !wanted.has(keyOf(row)));
  for (const batch of chunk(stale, batchSize)) {
    await prisma.legacyQuarantine.deleteMany({ where: { id: { in: batch.map((row) => row.id) } } });
  }
}

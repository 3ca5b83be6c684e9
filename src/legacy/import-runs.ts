// The record of each import (ImportRun): begun once the plan is checked and writing starts, finished
// after the last phase. A run left unfinished (a crash, a lost connection, a kill) is what lets
// `legacy:verify` say the data is incomplete, which its integrity checks alone cannot see.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ImportReport } from './import-report.js';

/** SHA-256 over every `.json` file of the export folder, each name then contents, in name order. */
export async function exportDigest(directory: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(directory, { withFileTypes: true }))
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
    .map((entry) => entry.name)
    .sort();
  for (const name of files) {
    hash.update(`${name}\0`);
    for await (const chunk of createReadStream(path.join(directory, name))) hash.update(chunk as Buffer);
    hash.update('\0');
  }
  return hash.digest('hex');
}

function plannedCounts(report: ImportReport) {
  const { read, customers, users, deliveryBoys, suppliers, products, orders, subscriptions } = report;
  return { read, customers, users, deliveryBoys, suppliers, products, orders, subscriptions };
}

/**
 * The run to record this import under: the unfinished run of this export if there is one (a rerun
 * continues it); none when this export was already imported completely (a rerun then only fills in what
 * is missing, and leaves the database, its record included, as it was); else a new run.
 */
export async function beginImportRun(prisma: PrismaClient, digest: string, report: ImportReport): Promise<string | undefined> {
  const latest = await prisma.importRun.findFirst({
    where: { exportDigest: digest },
    orderBy: [{ finishedAt: { sort: 'desc', nulls: 'first' } }, { startedAt: 'desc' }],
  });
  if (latest?.finishedAt) return undefined;
  if (latest) {
    await prisma.importRun.update({ where: { id: latest.id }, data: { attempts: { increment: 1 } } });
    return latest.id;
  }
  const created = await prisma.importRun.create({ data: { exportDigest: digest, asOf: new Date(report.asOf), counts: plannedCounts(report) } });
  return created.id;
}

export async function finishImportRun(prisma: PrismaClient, id: string | undefined): Promise<void> {
  if (id) await prisma.importRun.update({ where: { id }, data: { finishedAt: new Date() } });
}

/** One line per unfinished run, naming when it started and what completes it. */
export async function unfinishedImports(prisma: PrismaClient): Promise<string[]> {
  const runs = await prisma.importRun.findMany({ where: { finishedAt: null }, orderBy: { startedAt: 'asc' } });
  return runs.map(
    (run) =>
      `import ${run.id} started ${run.startedAt.toISOString()} (export digest ${run.exportDigest.slice(0, 12)}, ${run.attempts} attempt${run.attempts === 1 ? '' : 's'}) never finished: ` +
      'the data is incomplete; run `npm run legacy:import -- --dir <folder>` again with the same export to complete it',
  );
}

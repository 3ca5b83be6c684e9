// The legacy import as one call: plan from the export folder, then (unless a dry run) write the plan.
// The report comes from the plan alone, so a dry run and a real run print the same report.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { ImportReport } from './import-report.js';
import { planImport } from './import-planner.js';
import { beginImportRun, exportDigest, finishImportRun } from './import-runs.js';
import { writeImport } from './import-writer.js';
import { silentProgress, type Progress } from './progress.js';

interface LegacyImportOptions {
  directory: string;
  asOf: Date;
  dryRun: boolean;
  batchSize?: number;
  progress?: Progress;
}

export async function runLegacyImport(prisma: PrismaClient, options: LegacyImportOptions): Promise<ImportReport> {
  const progress = options.progress ?? silentProgress;
  const plan = await planImport({ directory: options.directory, asOf: options.asOf, dryRun: options.dryRun, progress });
  if (!options.dryRun) {
    // The digest ties the run to this export: only a rerun of the same files continues and finishes it.
    const digest = await exportDigest(options.directory);
    let runId: string | undefined;
    const beforeWriting = async () => {
      runId = await beginImportRun(prisma, digest, plan.report);
    };
    await writeImport(prisma, plan, { batchSize: options.batchSize, progress, beforeWriting });
    await finishImportRun(prisma, runId);
  }
  return plan.report;
}

// Reads whole collections into typed records (all but orders, which are streamed twice instead), and
// reports what could not be read: a missing file, a malformed line with its file and line number, a
// document without an id, a second document with the same id.
import path from 'node:path';
import type { RawDocument } from './export-reader.js';
import { collectionExists, collectionFile, readCollection } from './export-reader.js';
import type { ImportReport } from './import-report.js';
import { addProblem, createEmptyReport } from './import-report.js';
import type { Identified, LegacyCollection, ProblemSink } from './legacy-records.js';
import { identify } from './people-mapping.js';
import { silentProgress, type Progress } from './progress.js';
import { ReferenceIndex } from './reference-index.js';

type DocumentMapper<T> = (document: RawDocument, identity: Identified, report: ProblemSink) => T;

export interface CollectionScan {
  directory: string;
  report: ImportReport;
  progress: Progress;
  /** False on the second pass over orders: its problems were reported by the first. */
  reportProblems: boolean;
}

/** Calls `visit` with every identified, first-seen document of the collection, in file order. */
export async function scanCollection(
  scan: CollectionScan,
  collection: LegacyCollection,
  visit: (document: RawDocument, identity: Identified, line: number) => void | Promise<void>,
): Promise<void> {
  const { directory, report, reportProblems } = scan;
  const problem: ProblemSink = reportProblems ? (entry) => addProblem(report, entry) : () => {};
  const file = path.basename(collectionFile(directory, collection));
  if (!(await collectionExists(directory, collection))) {
    if (reportProblems) {
      report.missingCollections.push(collection);
      problem({ collection, id: null, reason: 'MISSING_COLLECTION', detail: `${file} not found: treated as empty` });
    }
    return;
  }
  const seen = new Set<string>();
  for await (const entry of readCollection(directory, collection)) {
    if (entry.kind === 'malformed') {
      problem({ collection, id: null, reason: 'MALFORMED_DOCUMENT', detail: entry.message, file, line: entry.line });
      continue;
    }
    if (reportProblems) report.read[collection] += 1;
    scan.progress.advance();
    const identity = identify(entry.document);
    if (identity === null) {
      problem({ collection, id: null, reason: 'MISSING_ID', file, line: entry.line });
      continue;
    }
    if (seen.has(identity.id)) {
      problem({ collection, id: identity.id, reason: 'DUPLICATE_ID', detail: 'a later document with the same id is ignored', file, line: entry.line });
      continue;
    }
    seen.add(identity.id);
    await visit(entry.document, identity, entry.line);
  }
}

/**
 * The documents of these ids, read again from the collection file: the same document of each id that the
 * scan used (the first with that id). The plan keeps no documents; the few the import stores whole (merged
 * customers' before-images, set-aside documents) are read back this way when they are written.
 */
export async function readDocuments(directory: string, collection: LegacyCollection, ids: ReadonlySet<string>): Promise<Map<string, RawDocument>> {
  const documents = new Map<string, RawDocument>();
  if (ids.size === 0) return documents;
  const scan: CollectionScan = { directory, report: createEmptyReport(new Date(0), false), progress: silentProgress, reportProblems: false };
  await scanCollection(scan, collection, (document, identity) => {
    if (ids.has(identity.id)) documents.set(identity.id, document);
  });
  const missing = [...ids].filter((id) => !documents.has(id));
  if (missing.length > 0) {
    const file = path.basename(collectionFile(directory, collection));
    throw new Error(
      `legacy import: ${file} no longer holds ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}: the export changed during the import`,
    );
  }
  return documents;
}

export async function loadCollection<T extends Identified>(
  scan: CollectionScan,
  collection: LegacyCollection,
  map: DocumentMapper<T>,
): Promise<ReferenceIndex<T>> {
  const index = new ReferenceIndex<T>();
  const problem: ProblemSink = (entry) => addProblem(scan.report, entry);
  scan.progress.begin(`reading ${collection}`, 0);
  await scanCollection(scan, collection, (document, identity) => {
    index.add(map(document, identity, problem));
  });
  scan.progress.end();
  return index;
}

// Streams one collection file of a mongoexport (JSON lines, or one JSON array) as parsed documents, one
// at a time, so memory stays bounded by the largest document rather than the file. Values are Extended
// JSON parsed by bson's EJSON in relaxed mode ($oid → ObjectId, $date → Date, $numberLong → number,
// $numberDecimal → Decimal128). A line that does not parse is yielded as `malformed` and reading goes on.
import { createReadStream } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { EJSON } from 'bson';
import { JsonArraySplitter } from './json-array-splitter.js';

export type RawDocument = Record<string, unknown>;

export type ExportEntry = { kind: 'document'; document: RawDocument; line: number } | { kind: 'malformed'; line: number; message: string };

export function collectionFile(directory: string, collection: string): string {
  return path.join(directory, `${collection}.json`);
}

export async function collectionExists(directory: string, collection: string): Promise<boolean> {
  try {
    await access(collectionFile(directory, collection));
    return true;
  } catch {
    return false;
  }
}

function parseDocument(text: string, line: number): ExportEntry {
  let value: unknown;
  try {
    value = EJSON.parse(text, { relaxed: true });
  } catch (error) {
    return { kind: 'malformed', line, message: error instanceof Error ? error.message : String(error) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { kind: 'malformed', line, message: 'not a JSON object' };
  }
  return { kind: 'document', document: value as RawDocument, line };
}

/** Yields every entry of a collection file; a missing file yields nothing (check collectionExists). */
export async function* readCollection(directory: string, collection: string): AsyncGenerator<ExportEntry> {
  if (!(await collectionExists(directory, collection))) return;
  const stream = createReadStream(collectionFile(directory, collection), { encoding: 'utf8' });
  let mode: 'undecided' | 'lines' | 'array' = 'undecided';
  const splitter = new JsonArraySplitter();
  let pending = '';
  let lineNumber = 0;

  for await (const chunk of stream as AsyncIterable<string>) {
    let text = chunk;
    if (mode === 'undecided') {
      const firstVisible = text.replace(/^\uFEFF/, '').trimStart();
      if (firstVisible.length === 0) {
        pending += text;
        continue;
      }
      mode = firstVisible.startsWith('[') ? 'array' : 'lines';
      text = (pending + text).replace(/^\uFEFF/, '');
      pending = '';
    }
    if (mode === 'array') {
      for (const element of splitter.push(text)) yield parseDocument(element.text, element.line);
      continue;
    }
    pending += text;
    let start = 0;
    let newline = pending.indexOf('\n', start);
    while (newline >= 0) {
      lineNumber += 1;
      const line = pending.slice(start, newline).trim();
      start = newline + 1;
      if (line.length > 0) yield parseDocument(line, lineNumber);
      newline = pending.indexOf('\n', start);
    }
    pending = pending.slice(start);
  }
  if (mode === 'array') {
    for (const element of splitter.end()) yield parseDocument(element.text, element.line);
    if (splitter.structureError) yield { kind: 'malformed', line: 0, message: splitter.structureError };
  } else if (pending.trim().length > 0) {
    yield parseDocument(pending.trim(), lineNumber + 1);
  }
}

import { describe, expect, it } from 'vitest';
import { readDocuments } from '../../src/legacy/collection-loading.js';
import { readCollection, type ExportEntry } from '../../src/legacy/export-reader.js';
import { JsonArraySplitter } from '../../src/legacy/json-array-splitter.js';
import { writeExport } from './support/export-fixture.js';

async function readAll(collections: Parameters<typeof writeExport>[0], collection: string): Promise<ExportEntry[]> {
  const folder = await writeExport(collections);
  try {
    const entries: ExportEntry[] = [];
    for await (const entry of readCollection(folder.directory, collection)) entries.push(entry);
    return entries;
  } finally {
    await folder.remove();
  }
}

describe('reading a mongoexport collection', () => {
  it('reads JSON lines with Extended JSON values through EJSON', async () => {
    const raw = [
      '{"_id": {"$oid": "8c38fb2918f135d25f557203"}, "id": "A", "at": {"$date": "2025-03-01T06:30:00Z"}}',
      '',
      '{"id": "B", "at": {"$date": {"$numberLong": "1740810600000"}}, "price": {"$numberDecimal": "52.50"}, "qty": {"$numberInt": "3"}, "big": {"$numberLong": "12"}, "ratio": {"$numberDouble": "60.5"}}',
    ].join('\n');
    const entries = await readAll({ things: { raw } }, 'things');
    expect(entries.map((entry) => entry.kind)).toEqual(['document', 'document']);
    const [first, second] = entries as Array<Extract<ExportEntry, { kind: 'document' }>>;
    expect(first.line).toBe(1);
    expect(second.line).toBe(3);
    expect((first.document._id as { toHexString(): string }).toHexString()).toBe('8c38fb2918f135d25f557203');
    expect((first.document.at as Date).toISOString()).toBe('2025-03-01T06:30:00.000Z');
    expect((second.document.at as Date).toISOString()).toBe('2025-03-01T06:30:00.000Z');
    expect(String(second.document.price)).toBe('52.50');
    expect(second.document.qty).toBe(3);
    expect(second.document.big).toBe(12);
    expect(second.document.ratio).toBe(60.5);
  });

  it('reports a malformed line with its line number and keeps reading', async () => {
    const raw = '{"id": "A"}\n{"id": "B", oops}\n[1, 2]\n{"id": "C"}';
    const entries = await readAll({ things: { raw } }, 'things');
    expect(entries.map((entry) => [entry.kind, entry.line])).toEqual([
      ['document', 1],
      ['malformed', 2],
      ['malformed', 3],
      ['document', 4],
    ]);
  });

  it('reads a JSON array, including brackets, commas and quotes inside strings', async () => {
    const array = [
      { id: 'A', note: 'a [tricky], "quoted" {value}', nested: { list: [1, [2, 3]] } },
      { id: 'B', at: { $date: '2026-01-01T00:00:00Z' } },
    ];
    const entries = await readAll({ things: { array } }, 'things');
    expect(entries).toHaveLength(2);
    const [first, second] = entries as Array<Extract<ExportEntry, { kind: 'document' }>>;
    expect(first.document.note).toBe('a [tricky], "quoted" {value}');
    expect(first.document.nested).toEqual({ list: [1, [2, 3]] });
    expect(second.document.at).toBeInstanceOf(Date);
    expect(first.line).toBe(2);
  });

  it('reports a malformed array element with its line and keeps the others', async () => {
    const raw = '[\n{"id": "A"},\n{"id": "B", bad},\n{"id": "C"}\n]';
    const entries = await readAll({ things: { raw } }, 'things');
    expect(entries.map((entry) => [entry.kind, entry.line])).toEqual([
      ['document', 2],
      ['malformed', 3],
      ['document', 4],
    ]);
  });

  it('yields nothing for a missing file', async () => {
    expect(await readAll({}, 'orders')).toEqual([]);
  });
});

describe('reading documents back by id', () => {
  it('gives the first document of each id, and names the ids an export no longer holds', async () => {
    const folder = await writeExport({
      customers_v2: [
        { id: 'C1', name: 'first' },
        { id: 'C2', name: 'second' },
        { id: 'C1', name: 'a later duplicate' },
      ],
    });
    try {
      const documents = await readDocuments(folder.directory, 'customers_v2', new Set(['C1']));
      expect([...documents]).toEqual([['C1', { id: 'C1', name: 'first' }]]);
      await expect(readDocuments(folder.directory, 'customers_v2', new Set(['C2', 'C3', 'C4']))).rejects.toThrow(
        'legacy import: customers_v2.json no longer holds C3, C4: the export changed during the import',
      );
    } finally {
      await folder.remove();
    }
  });
});

describe('JsonArraySplitter', () => {
  it('splits elements that arrive across chunk boundaries', () => {
    const text = '[{"a": "x,]"}, {"b": [1,2]} ,{"c": "\\"}"}]';
    const splitter = new JsonArraySplitter();
    const elements = [...text].flatMap((character) => splitter.push(character));
    expect(elements.map((element) => element.text)).toEqual(['{"a": "x,]"}', '{"b": [1,2]}', '{"c": "\\"}"}']);
    expect(splitter.end()).toEqual([]);
    expect(splitter.structureError).toBeNull();
  });

  it('notes an unterminated array', () => {
    const splitter = new JsonArraySplitter();
    splitter.push('[{"a": 1}, {"b": 2}');
    expect(splitter.end().map((element) => element.text)).toEqual(['{"b": 2}']);
    expect(splitter.structureError).toMatch(/not closed/);
  });
});

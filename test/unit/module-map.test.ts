// The module map: every table has exactly one owning module (or is the importer's), a module claims
// columns only of a table another module owns, and docs/architecture.md shows the same map.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MODULES } from '../../src/modules/all.js';
import { PROJECT_ROOT as projectRoot } from '../../src/shared/project-root.js';

/** The importer's own bookkeeping (src/legacy): no module reads or writes these. */
const IMPORTER_TABLES = ['ImportRun', 'LegacyArchive', 'LegacyLink', 'LegacyQuarantine', 'MergeLog'];

const prismaSchema = readFileSync(`${projectRoot}/prisma/schema.prisma`, 'utf8');
const models = [...prismaSchema.matchAll(/^model (\w+) \{/gm)].map((match) => match[1]).sort();
const wholeTables = MODULES.flatMap((module) => module.tables.filter((table) => !table.includes('.')).map((table) => ({ module: module.name, table })));
const columns = MODULES.flatMap((module) => module.tables.filter((table) => table.includes('.')).map((table) => ({ module: module.name, table })));

describe('the module map', () => {
  it('gives every table exactly one owner', () => {
    const owned = [...wholeTables.map((entry) => entry.table), ...IMPORTER_TABLES].sort();
    expect(owned).toEqual(models);
  });

  it('lets a module claim columns only of a table another module owns, each column once', () => {
    for (const { module, table } of columns) {
      const [model, column] = table.split('.') as [string, string];
      const owner = wholeTables.find((entry) => entry.table === model);
      expect(owner, `${table} (${module})`).toBeDefined();
      expect(owner!.module, `${table} (${module})`).not.toBe(module);
      expect(new RegExp(`^model ${model} \\{[^}]*^\\s+${column}\\s`, 'm').test(prismaSchema), `${table} is a column of ${model}`).toBe(true);
    }
    const claimed = columns.map((entry) => entry.table);
    expect(new Set(claimed).size).toBe(claimed.length);
  });

  it('is the map docs/architecture.md shows', () => {
    const doc = readFileSync(`${projectRoot}/docs/architecture.md`, 'utf8');
    for (const module of MODULES) {
      const row = doc.split('\n').find((line) => line.startsWith(`| \`${module.name}\` |`));
      expect(row, `docs/architecture.md has a row for the ${module.name} module`).toBeDefined();
      const cells = row!.split('|').map((cell) => cell.trim());
      const listed = cells[2] === '—' ? [] : cells[2].split(', ').map((name) => name.replaceAll('`', ''));
      expect(listed, `tables of ${module.name} in docs/architecture.md`).toEqual(compactColumns(module.tables));
    }
  });
});

/** The doc's form: whole tables by name, then one `Model (column column …)` entry per table of claimed columns. */
function compactColumns(tables: readonly string[]): string[] {
  const out: string[] = [];
  const byModel = new Map<string, string[]>();
  for (const table of tables) {
    const [model, column] = table.split('.');
    if (column === undefined) out.push(table);
    else byModel.set(model, [...(byModel.get(model) ?? []), column]);
  }
  for (const [model, cols] of byModel) out.push(`${model} (${cols.join(' ')})`);
  return out;
}

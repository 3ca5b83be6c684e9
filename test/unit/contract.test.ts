// The frontends' operations (../shared/contract/operations.graphql) are a contract: each must validate
// against the schema the server runs and against the committed schema.graphql.
import 'reflect-metadata';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, Kind, parse, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildBaseSchema } from '../../src/server/schema.js';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';

const CONTRACT = path.resolve(PROJECT_ROOT, '..', 'shared', 'contract', 'operations.graphql');

describe.runIf(existsSync(CONTRACT))('the contract operations', () => {
  const document = parse(readFileSync(CONTRACT, 'utf8'));
  const operations = document.definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);

  it('are all there', () => {
    expect(operations.length).toBeGreaterThanOrEqual(36);
  });

  it('validate against the schema the server builds', async () => {
    const errors = validate(await buildBaseSchema(), document);
    expect(errors.map((error) => error.message)).toEqual([]);
  });

  it('validate against the committed schema.graphql', () => {
    const committed = buildSchema(readFileSync(path.join(PROJECT_ROOT, 'schema.graphql'), 'utf8'));
    expect(validate(committed, document).map((error) => error.message)).toEqual([]);
  });
});

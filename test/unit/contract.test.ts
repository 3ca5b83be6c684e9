// The frontends' operations (contract/operations.graphql) are a contract: each must validate
// against the schema the server runs and against the committed schema.graphql.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { buildSchema, validate } from 'graphql';
import { describe, expect, it } from 'vitest';
import { buildBaseSchema } from '../../src/server/schema.js';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';
import { contractDocument, contractOperations } from '../support/contract.js';

describe('the contract operations', () => {
  const document = contractDocument();
  const operations = contractOperations(document);

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

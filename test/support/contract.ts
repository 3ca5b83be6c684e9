// The frontends' operations, from the repository's own copy (contract/operations.graphql; a drift test
// compares it with the team's master copy when that is checked out beside the repository), and the
// trusted documents made of them (contract/persisted-query-manifest.json).
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Kind, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { MANIFEST_FILE, withFragments, type PersistedOperation, type PersistedQueryManifest } from '../../src/server/trusted-documents.js';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';

export const CONTRACT_FILE = path.join(PROJECT_ROOT, 'contract', 'operations.graphql');

export function contractSource(): string {
  return readFileSync(CONTRACT_FILE, 'utf8');
}

export function contractDocument(options?: Parameters<typeof parse>[1]): DocumentNode {
  return parse(contractSource(), options);
}

export function contractOperations(document: DocumentNode = contractDocument()): OperationDefinitionNode[] {
  return document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
}

/** One operation of the contract with the fragments it spreads (transitively), as a client sends it. */
export function contractOperation(name: string): string {
  const document = contractDocument();
  const operation = contractOperations(document).find((definition) => definition.name?.value === name);
  if (!operation) throw new Error(`the contract has no operation ${name}`);
  return withFragments(document, operation)
    .map((definition) => print(definition))
    .join('\n');
}

/** An operation's text as a client sends it, carrying the result and variable types of its typed document. */
export type ContractOperation<Result, Variables> = string & { readonly __result?: Result; readonly __variables?: Variables };

/**
 * The contract's text of the operation that `document` was generated from (test/support/generated/, `npm run
 * contract:types`), typed by it.
 */
export function fromContract<Result, Variables>(document: TypedDocumentNode<Result, Variables>): ContractOperation<Result, Variables> {
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (!operation?.name) throw new Error('a contract operation needs a name');
  return contractOperation(operation.name.value);
}

/** An operation of the persisted-query manifest (the trusted documents), by name. */
export function persistedOperation(name: string): PersistedOperation {
  const operation = (JSON.parse(readFileSync(MANIFEST_FILE, 'utf8')) as PersistedQueryManifest).operations.find((entry) => entry.name === name);
  if (!operation) throw new Error(`the persisted-query manifest has no operation ${name}`);
  return operation;
}

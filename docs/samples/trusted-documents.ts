// Trusted documents: in production (TRUSTED_DOCUMENTS=only) a customer's, delivery boy's or supplier's app
// sends each operation's id from the API's contract/persisted-query-manifest.json instead of its text. The
// app bundles that file and looks ids up by operation name; the server registers nothing, so an operation
// that is not in the manifest is refused with TRUSTED_DOCUMENT_REQUIRED.
import { getOperationAST, type DocumentNode } from 'graphql';

export interface PersistedQueryManifest {
  format: 'apollo-persisted-query-manifest';
  version: 1;
  operations: { id: string; name: string; type: 'query' | 'mutation' | 'subscription'; body: string }[];
}

/** The id of the document's operation; an operation missing from the manifest is a mistake in the app. */
export function persistedIdOf(manifest: PersistedQueryManifest) {
  const ids = new Map(manifest.operations.map((operation) => [operation.name, operation.id]));
  return (document: DocumentNode): string => {
    const name = getOperationAST(document)?.name?.value;
    const id = name === undefined ? undefined : ids.get(name);
    if (id === undefined) throw new Error(`operation ${name ?? '(unnamed)'} is not in the persisted-query manifest`);
    return id;
  };
}

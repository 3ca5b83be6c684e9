// Trusted documents (docs/frontend.md "Trusted documents"): the frontends' operations, known in advance, in
// a persisted-operation manifest in Apollo's format (contract/persisted-query-manifest.json, written by
// `npm run manifest` from contract/operations.graphql and the IDE's sign-in operations). A client sends an
// operation's id as `extensions.persistedQuery.sha256Hash`, with or without its body; a body alone is
// trusted when it is one of the manifest's, up to formatting. With TRUSTED_DOCUMENTS=only (the production
// default) anyone may run a trusted document, but only ADHOC_OPERATION_ROLES may send any other. Nothing
// registers a document: Apollo's automatic persisted queries are off (server/app.ts).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  Kind,
  OperationTypeNode,
  parse,
  print,
  visit,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import type { Viewer } from '../auth/viewer.js';
import { AppError, ErrorCode, badRequest } from '../shared/errors.js';
import { PROJECT_ROOT } from '../shared/project-root.js';

export const MANIFEST_FILE = path.join(PROJECT_ROOT, 'contract', 'persisted-query-manifest.json');
export const CONTRACT_FILE = path.join(PROJECT_ROOT, 'contract', 'operations.graphql');
const MANIFEST_FORMAT = 'apollo-persisted-query-manifest';

export interface PersistedOperation {
  /** The body's SHA-256, hex: what a client sends as `extensions.persistedQuery.sha256Hash`. */
  readonly id: string;
  readonly name: string;
  readonly type: 'query' | 'mutation' | 'subscription';
  readonly body: string;
}

export interface PersistedQueryManifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly version: 1;
  readonly operations: readonly PersistedOperation[];
}

export const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The document as graphql-js prints it: two bodies that differ only in layout or comments print the same. */
function canonical(text: string): string | null {
  try {
    return print(parse(text, { noLocation: true, maxTokens: 10_000 }));
  } catch {
    return null;
  }
}

const TYPENAME: FieldNode = { kind: Kind.FIELD, name: { kind: Kind.NAME, value: '__typename' } };

/**
 * Adds `__typename` to every selection set but an operation's own, as Apollo Client's and urql's caches
 * do to what they send: the manifest holds the documents the clients actually send.
 */
function withTypenames<T extends OperationDefinitionNode | FragmentDefinitionNode>(definition: T): T {
  return visit(definition, {
    SelectionSet(node: SelectionSetNode, _key, parent) {
      if (parent && !Array.isArray(parent) && (parent as { kind?: string }).kind === Kind.OPERATION_DEFINITION) return undefined;
      if (node.selections.some((selection) => selection.kind === Kind.FIELD && selection.name.value === '__typename' && !selection.alias)) return undefined;
      return { ...node, selections: [...node.selections, TYPENAME] };
    },
  });
}

/** The operation followed by every fragment it spreads, directly or through another fragment. */
export function withFragments(document: DocumentNode, operation: OperationDefinitionNode): (OperationDefinitionNode | FragmentDefinitionNode)[] {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  const needed: (OperationDefinitionNode | FragmentDefinitionNode)[] = [operation];
  const seen = new Set<string>();
  for (let index = 0; index < needed.length; index += 1) {
    visit(needed[index], {
      FragmentSpread(node) {
        if (seen.has(node.name.value)) return;
        const fragment = fragments.get(node.name.value);
        if (!fragment) throw new Error(`${operation.name?.value ?? 'an operation'} spreads the unknown fragment ${node.name.value}`);
        seen.add(node.name.value);
        needed.push(fragment);
      },
    });
  }
  return needed;
}

/** Each operation of `document` with the fragments it spreads, printed as one body. */
export function operationsOf(document: DocumentNode, options: { typenames: boolean }): PersistedOperation[] {
  const operations: PersistedOperation[] = [];
  for (const operation of document.definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION) continue;
    if (!operation.name) throw new Error('every operation of a trusted document needs a name');
    const body = withFragments(document, operation)
      .map((definition) => print(options.typenames ? withTypenames(definition) : definition))
      .join('\n\n');
    operations.push({ id: sha256(body), name: operation.name.value, type: operation.operation, body });
  }
  return operations;
}

/**
 * The manifest: the contract's operations as the frontends' caches send them, then the IDE's sign-in
 * operations as the IDE sends them (it signs in before it is a staff session). Names are unique.
 */
export function buildManifest(sources: { contract: string; ide: readonly string[] }): PersistedQueryManifest {
  const operations = [
    ...operationsOf(parse(sources.contract, { noLocation: true }), { typenames: true }),
    ...sources.ide.flatMap((text) => operationsOf(parse(text, { noLocation: true }), { typenames: false })),
  ];
  const names = new Set<string>();
  for (const operation of operations) {
    if (names.has(operation.name)) throw new Error(`two trusted operations are named ${operation.name}`);
    names.add(operation.name);
  }
  return { format: MANIFEST_FORMAT, version: 1, operations };
}

export function manifestText(manifest: PersistedQueryManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export class TrustedDocuments {
  private readonly byId = new Map<string, PersistedOperation>();
  /** SHA-256 of each body's canonical print. */
  private readonly canonicalIds = new Set<string>();

  constructor(manifest: PersistedQueryManifest) {
    if (manifest.format !== MANIFEST_FORMAT || manifest.version !== 1)
      throw new Error(`the persisted-query manifest must have format ${MANIFEST_FORMAT}, version 1`);
    for (const operation of manifest.operations) {
      if (sha256(operation.body) !== operation.id) throw new Error(`persisted operation ${operation.name}: its id is not the SHA-256 of its body`);
      this.byId.set(operation.id, operation);
      this.canonicalIds.add(sha256(canonical(operation.body)!));
    }
  }

  static load(file = MANIFEST_FILE): TrustedDocuments {
    return new TrustedDocuments(JSON.parse(readFileSync(file, 'utf8')) as PersistedQueryManifest);
  }

  get size(): number {
    return this.byId.size;
  }

  operation(id: string): PersistedOperation | undefined {
    return this.byId.get(id);
  }

  /** Whether a body sent in full is one of the manifest's documents (its exact text, or the same document laid out otherwise). */
  isTrusted(body: string): boolean {
    if (this.byId.has(sha256(body))) return true;
    const printed = canonical(body);
    return printed !== null && this.canonicalIds.has(sha256(printed));
  }
}

const persistedQueryNotFound = () =>
  new AppError(ErrorCode.PERSISTED_QUERY_NOT_FOUND, 'PersistedQueryNotFound: no trusted operation has this id; this server registers none');
const trustedDocumentRequired = () =>
  new AppError(
    ErrorCode.TRUSTED_DOCUMENT_REQUIRED,
    "only the frontends' trusted operations may be sent here: send a persisted operation id from contract/persisted-query-manifest.json (extensions.persistedQuery.sha256Hash)",
  );

export interface GraphQLRequestParts {
  query?: unknown;
  extensions?: unknown;
}

/**
 * What a request asks to run: the document's text (filled in from the manifest for an id), whether it is
 * trusted (undefined: a body sent alone, judged only when the caller's roles make it matter), and the
 * request's other extensions. `rewritten`: the request must be passed on with these in place of its own.
 */
type Resolved =
  | { query: string | undefined; trusted: boolean | undefined; extensions: Record<string, unknown> | undefined; rewritten: boolean }
  | { error: AppError; status: number };

/**
 * Resolves `extensions.persistedQuery`: the id's body replaces a missing query; a query sent with an id
 * must hash to it. The extension is removed from what is passed on (Apollo's own handling is off).
 */
function resolveDocument(request: GraphQLRequestParts, documents: TrustedDocuments): Resolved {
  const query = typeof request.query === 'string' ? request.query : undefined;
  const extensions =
    request.extensions !== null && typeof request.extensions === 'object' && !Array.isArray(request.extensions)
      ? (request.extensions as Record<string, unknown>)
      : undefined;
  const persisted = extensions?.persistedQuery;
  if (persisted === undefined) return { query, trusted: query === undefined ? false : undefined, extensions, rewritten: false };
  const refused = (message: string) => ({ error: badRequest(message), status: 400 });
  if (persisted === null || typeof persisted !== 'object') return refused('extensions.persistedQuery must be an object: { version: 1, sha256Hash }');
  const { version, sha256Hash } = persisted as { version?: unknown; sha256Hash?: unknown };
  if (version !== 1) return refused('extensions.persistedQuery.version: only version 1 is supported');
  if (typeof sha256Hash !== 'string' || !/^[0-9a-f]{64}$/.test(sha256Hash))
    return refused('extensions.persistedQuery.sha256Hash must be 64 lower-case hex digits');
  const { persistedQuery: _persisted, ...rest } = extensions!;
  const passedOn = Object.keys(rest).length > 0 ? rest : undefined;
  if (query !== undefined) {
    if (sha256(query) !== sha256Hash) return refused('extensions.persistedQuery.sha256Hash is not the SHA-256 of the query sent with it');
    // A body with the id of no trusted operation registers nothing: it is judged as any other document.
    return { query, trusted: documents.operation(sha256Hash) !== undefined, extensions: passedOn, rewritten: true };
  }
  const operation = documents.operation(sha256Hash);
  // HTTP 200, as for automatic persisted queries: clients that react to this code read it in the body.
  if (!operation) return { error: persistedQueryNotFound(), status: 200 };
  return { query: operation.body, trusted: true, extensions: passedOn, rewritten: true };
}

interface TrustPolicy {
  /** only: untrusted documents only for `adhocRoles`; allow: for everyone. */
  readonly mode: 'only' | 'allow';
  readonly adhocRoles: readonly string[];
  /**
   * ALLOW_INTROSPECTION: a document that reads only `__schema`/`__type` is then anyone's to send (the IDE
   * loads the schema before its user signs in); the introspection setting, not this one, decides it.
   */
  readonly introspection: boolean;
}

const TYPENAME_ONLY: ReadonlySet<string> = new Set(['__typename']);
const INTROSPECTION: ReadonlySet<string> = new Set(['__typename', '__schema', '__type']);

/** Whether the document is queries only, each selecting only `fields` at its root. */
function selectsOnly(text: string, fields: ReadonlySet<string>): boolean {
  let document: DocumentNode;
  try {
    document = parse(text, { noLocation: true, maxTokens: 10_000 });
  } catch {
    return false;
  }
  const operations = document.definitions.filter((definition): definition is OperationDefinitionNode => definition.kind === Kind.OPERATION_DEFINITION);
  return (
    operations.length > 0 &&
    operations.every(
      (operation) =>
        operation.operation === OperationTypeNode.QUERY &&
        operation.selectionSet.selections.every((selection) => selection.kind === Kind.FIELD && fields.has(selection.name.value)),
    )
  );
}

/** The policy and the manifest: which requests may run. */
export class TrustedDocumentGate {
  constructor(
    readonly documents: TrustedDocuments,
    private readonly policy: TrustPolicy,
  ) {}

  resolve(request: GraphQLRequestParts): Resolved {
    return resolveDocument(request, this.documents);
  }

  /** Whether this caller may send a document that is not trusted. */
  mayRunAdhoc(viewer: Viewer | null): boolean {
    if (this.policy.mode === 'allow') return true;
    if (!viewer) return false;
    return this.policy.adhocRoles.some((role) => viewer.roles.has(role as never));
  }

  /** The refusal for this caller, or null when the request may run. */
  refusal(resolved: Extract<Resolved, { rewritten: boolean }>, viewer: Viewer | null): AppError | null {
    if (this.mayRunAdhoc(viewer)) return null;
    const trusted = resolved.trusted ?? (resolved.query !== undefined && this.documents.isTrusted(resolved.query));
    if (trusted) return null;
    // `{ __typename }` (a client's ping) reveals nothing; introspection is as open as ALLOW_INTROSPECTION makes it.
    if (resolved.query !== undefined && selectsOnly(resolved.query, this.policy.introspection ? INTROSPECTION : TYPENAME_ONLY)) return null;
    return trustedDocumentRequired();
  }
}

const loaded = new Map<string, TrustedDocuments>();

/** The manifest of `file`, read and checked once per process. */
export function trustedDocuments(file = MANIFEST_FILE): TrustedDocuments {
  let documents = loaded.get(file);
  if (!documents) loaded.set(file, (documents = TrustedDocuments.load(file)));
  return documents;
}

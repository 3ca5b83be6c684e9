// Text that no field of this API can hold is refused at the edge, before any service sees it: U+0000
// (PostgreSQL text cannot store it, so it would surface as a database error) and unpaired UTF-16
// surrogates (not Unicode at all; the driver would silently turn them into U+FFFD and store other data
// than was sent). Checking every string variable and literal once here covers every input type, present
// and future, instead of trusting each service to remember.
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, Kind, visit, type DocumentNode } from 'graphql';
import { ErrorCode } from '../shared/errors.js';

const UNSTORABLE = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function isStorableText(value: string): boolean {
  return !UNSTORABLE.test(value);
}

/** The path of the first string that cannot be stored, e.g. `$input.name`, or null. */
function findUnstorableText(value: unknown, path: string): string | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = findUnstorableText(item, `${path}.${index}`);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = findUnstorableText(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

// Apollo hands the same parsed document to every request with the same query text: walked once.
const literalVerdicts = new WeakMap<DocumentNode, boolean>();

function hasUnstorableLiteral(document: DocumentNode): boolean {
  let verdict = literalVerdicts.get(document);
  if (verdict === undefined) literalVerdicts.set(document, (verdict = findsUnstorableLiteral(document)));
  return verdict;
}

function findsUnstorableLiteral(document: DocumentNode): boolean {
  let found = false;
  visit(document, {
    [Kind.STRING]: (node) => {
      if (!isStorableText(node.value)) found = true;
    },
  });
  return found;
}

const refuse = (where: string) =>
  new GraphQLError(`${where}: contains a character that is not allowed (U+0000 or an unpaired surrogate)`, {
    extensions: { code: ErrorCode.BAD_USER_INPUT, field: where, http: { status: 400 } },
  });

export function inputHygienePlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ request, document }) {
          for (const [name, value] of Object.entries(request.variables ?? {})) {
            const found = findUnstorableText(value, `$${name}`);
            if (found) throw refuse(found);
          }
          if (hasUnstorableLiteral(document)) throw refuse('query');
        },
      };
    },
  };
}

// GraphQL limits of SPEC §8: depth 10 (fragments are followed, they add no depth of their own), 15 aliases,
// 2,000 tokens and a cost of 5,000 where a connection costs its page size (`first`, `last` or the default)
// times its selection. A rejected document gets one plain message that names no number, so probing the
// limits teaches an attacker nothing.
// Depth and aliases use graphql-armor's rules; the token limit is graphql-js's own parser option (Apollo
// parses, so a replacement parser cannot be slotted in); the cost uses graphql-query-complexity, run once
// the operation and its variables are known, because `first` usually arrives as a variable.
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError, type GraphQLSchema, type ParseOptions, type ValidationContext, type ValidationRule } from 'graphql';
import { getComplexity, simpleEstimator, type ComplexityEstimator } from 'graphql-query-complexity';
import { ErrorCode } from '../shared/errors.js';
import { DEFAULT_PAGE_SIZE } from '../shared/pagination.js';

export const GRAPHQL_LIMITS = Object.freeze({ depth: 10, aliases: 15, tokens: 2_000, cost: 5_000 });

export const LIMIT_MESSAGE = 'the query is too large or too complex: ask for less in one request';

const limitError = () => new GraphQLError(LIMIT_MESSAGE, { extensions: { code: ErrorCode.BAD_USER_INPUT, http: { status: 400 } } });

/** graphql-armor's callbacks: report one plain error instead of armor's own message. */
const reportPlainly = {
  exposeLimits: false,
  propagateOnRejection: false,
  onReject: [(context: ValidationContext | null) => context?.reportError(limitError())],
};

export function limitValidationRules(): ValidationRule[] {
  return [maxDepthRule({ n: GRAPHQL_LIMITS.depth, flattenFragments: true, ...reportPlainly }), maxAliasesRule({ n: GRAPHQL_LIMITS.aliases, ...reportPlainly })];
}

export const limitParseOptions: ParseOptions = { maxTokens: GRAPHQL_LIMITS.tokens };

/** graphql-js names the token limit in its syntax error; the error formatter swaps it for the plain message. */
export function concealLimits(message: string): string {
  return /Document contains more tha[nt] \d+ tokens/.test(message) ? LIMIT_MESSAGE : message;
}

/**
 * A connection (a field whose definition takes `first` or `last`) is a page: it costs its effective page
 * size, `first` or `last` or the default page size when neither is sent, times its selection. Whether a
 * field is a page comes from the schema, not from the arguments a request happens to send: an omitted
 * `first` still returns the default page. A size that is not a whole number of rows (negative,
 * fractional) costs the default page here and is refused by the resolver.
 */
const pageEstimator: ComplexityEstimator = ({ field, args, childComplexity }) => {
  const isPage = field.args.some((argument) => argument.name === 'first' || argument.name === 'last');
  if (!isPage) return undefined;
  const sizes = [args.first, args.last].filter((size): size is number => Number.isInteger(size) && (size as number) >= 0);
  const size = sizes.length > 0 ? Math.max(...sizes) : DEFAULT_PAGE_SIZE;
  return 1 + size * Math.max(childComplexity, 1);
};

export function queryCost(
  schema: GraphQLSchema,
  document: Parameters<typeof getComplexity>[0]['query'],
  variables: Record<string, unknown>,
  operationName?: string,
): number {
  return getComplexity({ schema, query: document, variables, operationName, estimators: [pageEstimator, simpleEstimator({ defaultComplexity: 1 })] });
}

// Apollo hands the same parsed document to every request with the same query text, so the cost of a
// (document, operation, variables) is computed once: walking the whole selection for it on every request
// was ~4 % of a `Me` request. A few variants per document are kept (null: the variables did not coerce).
const MAX_COSTS_PER_DOCUMENT = 50;
const knownCosts = new WeakMap<object, Map<string, number | null>>();

function cachedQueryCost(
  schema: GraphQLSchema,
  document: Parameters<typeof getComplexity>[0]['query'],
  variables: Record<string, unknown>,
  operationName?: string,
): number | null {
  let costs = knownCosts.get(document);
  if (!costs) knownCosts.set(document, (costs = new Map<string, number | null>()));
  const key = `${operationName ?? ''}|${JSON.stringify(variables)}`;
  const known = costs.get(key);
  if (known !== undefined) return known;
  let cost: number | null;
  try {
    cost = queryCost(schema, document, variables, operationName);
  } catch {
    cost = null;
  }
  if (costs.size >= MAX_COSTS_PER_DOCUMENT) costs.clear();
  costs.set(key, cost);
  return cost;
}

export function costLimitPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, request, operationName }) {
          const cost = cachedQueryCost(schema, document, request.variables ?? {}, operationName ?? undefined);
          // Variables that do not coerce (null) are refused by execution with a precise BAD_USER_INPUT.
          if (cost !== null && cost > GRAPHQL_LIMITS.cost) throw limitError();
        },
      };
    },
  };
}

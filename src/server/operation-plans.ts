// Planned operations (docs/architecture.md "Planned operations"). The frontends' hottest trusted operations
// are known in advance, so each is planned at start-up into one statement that builds its whole answer in
// PostgreSQL (operation-plans.sql.ts), for the callers whose answer it is sure to be: the viewer's roles and
// facets are exactly the ones the plan was made for, so every field it selects is one the general path lets
// that viewer read, and none is masked. Everyone else, every other document and every failure go through the
// general path (graphql-js, the directives' guards, the loaders), which gives the same answer: the contract
// tests compare the two byte for byte for every planned operation and role.
//
// A plan answers from Apollo's `responseForOperation`, after parsing, validation, the limits and read routing
// have run for the request, so it changes only how the data is read, not who may read it or where from. The
// session check before Apollo stays as it is (its user row and lock come from there); the plan is the
// request's one other statement.
import { HeaderMap, type ApolloServerPlugin, type GraphQLResponse } from '@apollo/server';
import { readFileSync } from 'node:fs';
import { parse, print, type DocumentNode } from 'graphql';
import type { Role } from '../auth/roles.js';
import type { PlainRead } from '../db/client.js';
import type { Context } from '../modules/context.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from '../shared/pagination.js';
import { istDateString, periodRange } from '../shared/time.js';
import type { Metrics } from './metrics.js';
import type { OutageLog } from './outage-log.js';
import { currentRequestScope } from './request-scope.js';
import { customerMeStatement, deliveryBoyMeStatement, myRouteStatement, supplierPortalStatement } from './operation-plans.sql.js';
import { CONTRACT_FILE, operationsOf } from './trusted-documents.js';

/**
 * One planned operation: its answer's `data` as JSON text, or null when this request is not one it answers
 * (the general path answers it).
 */
interface OperationPlan {
  readonly name: string;
  /** Whether the plan reads the request's variables; the others answer only requests without any. */
  readonly takesVariables?: boolean;
  answer(context: Context, read: PlainRead, variables: Readonly<Record<string, unknown>>): Promise<string | null>;
}

/** Whether the viewer holds exactly `role` and no other, with no second factor owed. */
function onlyRole(context: Context, role: Role): boolean {
  const viewer = context.viewer;
  return viewer !== null && context.authError === null && !viewer.secondFactorPending && viewer.roles.size === 1 && viewer.roles.has(role);
}

/** PostgreSQL's "integer out of range": an amount the answer would carry does not fit `Int`. */
const OUT_OF_RANGE = '22003';

/** Whether the statement failed with `code`, wherever the driver and Prisma put the SQLSTATE. */
function failedWith(error: unknown, code: string, depth = 0): boolean {
  if (error === null || typeof error !== 'object' || depth > 5) return false;
  const record = error as Record<string, unknown>;
  if (record.code === code || record.originalCode === code) return true;
  return ['meta', 'cause', 'driverAdapterError'].some((key) => failedWith(record[key], code, depth + 1));
}

/**
 * The statement's `data`, or null: no row, a row the statement marks `general`, or an amount beyond `Int`
 * (which the general path answers with its own error, at its own path).
 */
async function planned(read: PlainRead, statement: string, values: unknown[]): Promise<string | null> {
  try {
    const [row] = await read(statement, values);
    return row && row[1] !== true ? (row[0] as string) : null;
  } catch (error) {
    if (failedWith(error, OUT_OF_RANGE)) return null;
    throw error;
  }
}

/** Whether a lockout is in force for the viewer, as `me.status` reads it (the session check brought it). */
async function viewerLocked(context: Context): Promise<boolean> {
  if (context.session?.user.status !== 'ACTIVE') return false;
  return Boolean(await context.loaders.lockedUntilByUserId.load(context.viewer!.userId));
}

function mePlan(typenames: boolean): OperationPlan {
  const customerStatement = customerMeStatement(typenames);
  const deliveryBoyStatement = deliveryBoyMeStatement(typenames);
  return {
    name: 'Me',
    async answer(context, read) {
      const viewer = context.viewer;
      const user = context.session?.user;
      if (!viewer || !user || user.supplier) return null;
      if (onlyRole(context, 'CUSTOMER') && viewer.customerId && !user.deliveryBoy) {
        return planned(read, customerStatement, [viewer.userId, await viewerLocked(context)]);
      }
      if (onlyRole(context, 'DELIVERY_BOY') && viewer.deliveryBoyId && !user.customer) {
        const now = context.clock.now();
        const ranges = (['TODAY', 'WEEK', 'MONTH'] as const).flatMap((period) => {
          const range = periodRange(period, now);
          return [range.from!.toISOString(), range.to!.toISOString()];
        });
        return planned(read, deliveryBoyStatement, [viewer.userId, await viewerLocked(context), ...ranges]);
      }
      return null;
    },
  };
}

function myRoutePlan(typenames: boolean): OperationPlan {
  const statement = myRouteStatement(typenames);
  return {
    name: 'MyRoute',
    async answer(context, read) {
      const viewer = context.viewer;
      if (!viewer?.deliveryBoyId || !onlyRole(context, 'DELIVERY_BOY')) return null;
      return planned(read, statement, [viewer.deliveryBoyId, istDateString(context.clock.now())]);
    },
  };
}

/** `first` as the general path reads it when it is a plain first page: 1 to 100, 20 when absent; else null. */
function firstPageSize(variables: Readonly<Record<string, unknown>>): number | null {
  for (const name of Object.keys(variables)) if (name !== 'first' && name !== 'after') return null;
  if (variables.after !== undefined && variables.after !== null) return null;
  const first = variables.first;
  if (first === undefined || first === null) return DEFAULT_PAGE_SIZE;
  return Number.isInteger(first) && (first as number) >= 1 && (first as number) <= MAX_PAGE_SIZE ? (first as number) : null;
}

function supplierPortalPlan(typenames: boolean): OperationPlan {
  const statement = supplierPortalStatement(typenames);
  return {
    name: 'SupplierPortal',
    takesVariables: true,
    async answer(context, read, variables) {
      const viewer = context.viewer;
      const user = context.session?.user;
      const size = firstPageSize(variables);
      if (size === null || !viewer?.supplierId || !user || user.customer || user.deliveryBoy || !onlyRole(context, 'SUPPLIER')) return null;
      const month = periodRange('MONTH', context.clock.now());
      return planned(read, statement, [viewer.supplierId, size, month.from!.toISOString(), month.to!.toISOString()]);
    },
  };
}

const PLANS: Record<string, (typenames: boolean) => OperationPlan> = { Me: mePlan, MyRoute: myRoutePlan, SupplierPortal: supplierPortalPlan };

/** The plans by the printed text of the document each answers: the contract's, with and without `__typename`. */
export class OperationPlans {
  private readonly byText = new Map<string, OperationPlan>();
  private readonly byDocument = new WeakMap<DocumentNode, OperationPlan | null>();

  constructor(contract: string = readFileSync(CONTRACT_FILE, 'utf8')) {
    const document = parse(contract, { noLocation: true });
    for (const typenames of [false, true]) {
      for (const operation of operationsOf(document, { typenames })) {
        const plan = PLANS[operation.name];
        if (plan) this.byText.set(print(parse(operation.body, { noLocation: true })), plan(typenames));
      }
    }
  }

  /** The names of the planned operations. */
  get names(): string[] {
    return [...new Set([...this.byText.values()].map((plan) => plan.name))];
  }

  /** The plan for this parsed document (Apollo keeps one per query text), or null. */
  planFor(document: DocumentNode): OperationPlan | null {
    let plan = this.byDocument.get(document);
    if (plan === undefined) {
      plan = this.byText.get(print(document)) ?? null;
      this.byDocument.set(document, plan);
    }
    return plan;
  }
}

/**
 * The answers of planned requests, by the HTTP request's scope (server/request-scope.ts), until the HTTP
 * layer sends them. Apollo gets a stand-in with no data to print; its body (PLANNED_STAND_IN) is then
 * swapped for the planned text. A request with no scope (no HTTP layer to swap it) is not planned.
 */
const plannedAnswers = new WeakMap<object, string>();
const PLANNED_STAND_IN = '{"data":{}}\n';

/**
 * The body to send for a request Apollo answered with `body`: the planned answer, printed as Apollo prints
 * a response (`{"data":…}` and a newline), when a plan answered it; else Apollo's own.
 */
export function responseBody(scope: object, body: string): string {
  const planned = plannedAnswers.get(scope);
  return planned !== undefined && body === PLANNED_STAND_IN ? `{"data":${planned}}\n` : body;
}

/** Answers a planned operation's request from its plan; any other request, or a plan's failure, goes on to execution. */
export function operationPlansPlugin(
  plans: OperationPlans,
  { read, outages, metrics }: { read: PlainRead; outages: OutageLog; metrics: Metrics },
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ document, request, contextValue }): Promise<GraphQLResponse | null> {
          const scope = currentRequestScope();
          const plan = scope ? plans.planFor(document) : null;
          if (!scope || !plan) return null;
          let data: string | null = null;
          try {
            const variables = request.variables ?? {};
            if (plan.takesVariables || Object.keys(variables).length === 0) data = await plan.answer(contextValue, read, variables);
          } catch (error) {
            // The general path reads again and answers the failure with its own code (an outage, say).
            outages.record(
              `plan-${plan.name}`,
              (error instanceof Error ? error.message : String(error)).slice(0, 200),
              'planned operation failed: the general path answers',
            );
            metrics.countPlannedOperation(plan.name, 'failed');
            return null;
          }
          metrics.countPlannedOperation(plan.name, data === null ? 'general' : 'planned');
          if (data === null) return null;
          plannedAnswers.set(scope, data);
          return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: { data: {} } } };
        },
      };
    },
  };
}

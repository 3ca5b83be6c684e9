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
import type { DatabaseClient } from '../db/client.js';
import type { Context } from '../modules/context.js';
import { formatPaise } from '../shared/money.js';
import { splitCommission } from '../modules/suppliers/index.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, encodeCursor } from '../shared/pagination.js';
import { istDateString, periodRange } from '../shared/time.js';
import type { Metrics } from './metrics.js';
import type { OutageLog } from './outage-log.js';
import { customerMeStatement, deliveryBoyMeStatement, myRouteStatement, supplierPortalStatement } from './operation-plans.sql.js';
import { CONTRACT_FILE, operationsOf } from './trusted-documents.js';

type Data = Record<string, unknown>;

/** One planned operation: its answer's `data`, or null when this request is not one it answers. */
interface OperationPlan {
  readonly name: string;
  /** Whether the plan reads the request's variables; the others answer only requests without any. */
  readonly takesVariables?: boolean;
  answer(context: Context, db: DatabaseClient, variables: Readonly<Record<string, unknown>>): Promise<Data | null>;
}

const INT_MAX = 2 ** 31 - 1;
const ORDERS_PAGE = 20;

/** Whether the viewer holds exactly `role` and no other, with no second factor owed. */
function onlyRole(context: Context, role: Role): boolean {
  const viewer = context.viewer;
  return viewer !== null && context.authError === null && !viewer.secondFactorPending && viewer.roles.size === 1 && viewer.roles.has(role);
}

/**
 * Fills in every `{ paise, formatted: null }` of the answer, in place. False when an amount does not fit
 * the `Int` that `paise` is: the general path answers that with its own error.
 */
function completeMoney(value: unknown): boolean {
  if (Array.isArray(value)) return value.every(completeMoney);
  if (value === null || typeof value !== 'object') return true;
  const object = value as Record<string, unknown>;
  if ('paise' in object && 'formatted' in object && object.formatted === null) {
    const paise = Number(object.paise);
    if (!Number.isSafeInteger(paise) || Math.abs(paise) > INT_MAX) return false;
    object.paise = paise;
    object.formatted = formatPaise(paise);
    return true;
  }
  for (const key in object) if (!completeMoney(object[key])) return false;
  return true;
}

interface PlannedPage {
  totalCount: number | string;
  pageInfo: { hasNextPage: boolean | null; endCursor: string | null };
  edges: { cursor: unknown }[];
}

/**
 * A page read one row long: the extra row says there is a next page. Each edge brings its sort key as
 * `cursor`, encoded in place when the document selects edges' cursors and removed when it does not.
 */
function completePage(page: PlannedPage, size: number, edgeCursors: boolean): void {
  page.totalCount = Number(page.totalCount);
  page.pageInfo.hasNextPage = page.edges.length > size;
  if (page.edges.length > size) page.edges.length = size;
  const last = page.edges[page.edges.length - 1];
  page.pageInfo.endCursor = last ? encodeCursor(last.cursor as (string | number)[]) : null;
  for (const edge of page.edges) {
    if (edgeCursors) edge.cursor = encodeCursor(edge.cursor as (string | number)[]);
    else delete (edge as { cursor?: unknown }).cursor;
  }
}

/** `me.status` as the general path gives it: LOCKED while a lockout is in force. */
async function completeStatus(me: Data, context: Context): Promise<void> {
  if (me.status !== 'ACTIVE') return;
  if (await context.loaders.lockedUntilByUserId.load(context.viewer!.userId)) me.status = 'LOCKED';
}

async function planned(db: DatabaseClient, statement: string, values: unknown[]): Promise<Data | null> {
  const rows = await db.$queryRawUnsafe<{ data: Data }[]>(statement, ...values);
  return rows[0]?.data ?? null;
}

function mePlan(typenames: boolean): OperationPlan {
  const customerStatement = customerMeStatement(typenames);
  const deliveryBoyStatement = deliveryBoyMeStatement(typenames);
  return {
    name: 'Me',
    async answer(context, db) {
      const viewer = context.viewer;
      const user = context.session?.user;
      if (!viewer || !user || user.supplier) return null;
      let data: Data | null;
      if (onlyRole(context, 'CUSTOMER') && viewer.customerId && !user.deliveryBoy) {
        data = await planned(db, customerStatement, [viewer.userId]);
        const customer = (data?.me as Data | undefined)?.customer as { orders: PlannedPage; subscriptions: { totalCount: number | string } } | null;
        if (!customer) return null;
        completePage(customer.orders, ORDERS_PAGE, true);
        customer.subscriptions.totalCount = Number(customer.subscriptions.totalCount);
      } else if (onlyRole(context, 'DELIVERY_BOY') && viewer.deliveryBoyId && !user.customer) {
        const now = context.clock.now();
        const ranges = (['TODAY', 'WEEK', 'MONTH'] as const).flatMap((period) => {
          const range = periodRange(period, now);
          return [range.from!.toISOString(), range.to!.toISOString()];
        });
        data = await planned(db, deliveryBoyStatement, [viewer.userId, ...ranges]);
        const facet = (data?.me as Data | undefined)?.deliveryBoy as Record<string, { deliveries?: number | string }> | null;
        if (!facet) return null;
        for (const key of ['today', 'week', 'month', 'allTime']) facet[key].deliveries = Number(facet[key].deliveries);
      } else {
        return null;
      }
      if (!data || !completeMoney(data)) return null;
      await completeStatus(data.me as Data, context);
      return data;
    },
  };
}

function myRoutePlan(typenames: boolean): OperationPlan {
  const statement = myRouteStatement(typenames);
  return {
    name: 'MyRoute',
    async answer(context, db) {
      const viewer = context.viewer;
      if (!viewer?.deliveryBoyId || !onlyRole(context, 'DELIVERY_BOY')) return null;
      return planned(db, statement, [viewer.deliveryBoyId, istDateString(context.clock.now())]);
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
    async answer(context, db, variables) {
      const viewer = context.viewer;
      const user = context.session?.user;
      const size = firstPageSize(variables);
      if (size === null || !viewer?.supplierId || !user || user.customer || user.deliveryBoy || !onlyRole(context, 'SUPPLIER')) return null;
      const month = periodRange('MONTH', context.clock.now());
      const data = await planned(db, statement, [viewer.supplierId, size, month.from!.toISOString(), month.to!.toISOString()]);
      const supplier = (data?.me as Data | undefined)?.supplier as {
        commissionRateBps: number;
        orders: PlannedPage;
        month: Record<'gross' | 'commission' | 'net', { paise: number | string | null }>;
      } | null;
      if (!supplier) return null;
      completePage(supplier.orders, size, false);
      const split = splitCommission(Number(supplier.month.gross.paise), supplier.commissionRateBps);
      supplier.month.commission.paise = split.commissionPaise;
      supplier.month.net.paise = split.netPaise;
      return completeMoney(data) ? data : null;
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

/** Answers a planned operation's request from its plan; any other request, or a plan's failure, goes on to execution. */
export function operationPlansPlugin(
  plans: OperationPlans,
  { db, outages, metrics }: { db: DatabaseClient; outages: OutageLog; metrics: Metrics },
): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ document, request, contextValue }): Promise<GraphQLResponse | null> {
          const plan = plans.planFor(document);
          if (!plan) return null;
          let data: Data | null = null;
          try {
            const variables = request.variables ?? {};
            if (plan.takesVariables || Object.keys(variables).length === 0) data = await plan.answer(contextValue, db, variables);
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
          metrics.countPlannedOperation(plan.name, data ? 'planned' : 'general');
          if (!data) return null;
          return { http: { headers: new HeaderMap(), status: undefined }, body: { kind: 'single', singleResult: { data } } };
        },
      };
    },
  };
}

// The raw baseline of the benchmarks: a bare node:http handler that answers the benchmarked operations
// (`Me` of a customer and of a delivery boy, `SupplierPortal`, `MyRoute`) with the same JSON as the GraphQL
// server, from hand-written SQL.
// It still does what any honest endpoint must: verify the access token (jose, key imported once) and check
// the session in the database. No GraphQL parsing, validation, authorization rules or ORM: the difference to
// this project's server is what those cost. Started by the harness with DATABASE_URL (PostgreSQL) or
// DATA_DIR (PGlite, the smoke run); reports the statements it sent in `x-sql-statements`.
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { jwtVerify } from 'jose';
import pg from 'pg';
import { formatPaise } from '../src/shared/money.js';
import { encodeCursor } from '../src/shared/pagination.js';
import { istDateString, periodRange, type Period } from '../src/shared/time.js';
import { DELIVERY_BOY_ME_SQL, ME_SQL, MY_ROUTE_SQL, SESSION_SQL, SUPPLIER_PORTAL_SQL } from './raw-baseline.queries.js';

type Query = (sql: string, values: unknown[]) => Promise<Record<string, any>[]>;

async function openQuery(): Promise<Query> {
  if (process.env.DATABASE_URL) {
    const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
    return async (sql, values) => (await pool.query(sql, values)).rows;
  }
  const database = await PGlite.create(path.resolve(process.env.DATA_DIR ?? '.data', 'pglite'));
  return async (sql, values) => (await database.query<Record<string, any>>(sql, values)).rows;
}

const query = await openQuery();
const secret = new TextEncoder().encode(process.env.JWT_SECRET);

class Refused extends Error {}

async function viewerOf(request: IncomingMessage) {
  const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
  if (!token) throw new Refused();
  const { payload } = await jwtVerify(token, secret, {
    algorithms: ['HS256'],
    issuer: 'dairy-bff',
    audience: 'dairy-apps',
    typ: 'at+jwt',
    requiredClaims: ['sub', 'sid', 'exp'],
  }).catch(() => {
    throw new Refused();
  });
  const [session] = await query(SESSION_SQL, [payload.sid, payload.sub]);
  if (!session) throw new Refused();
  return { userId: String(payload.sub), roles: session.roles as string[], supplierId: session.supplierId as string | null };
}

/** Money objects come out of SQL as { paise }; the formatted text is added here, in place. */
function formatMoney(value: unknown): void {
  if (Array.isArray(value)) {
    value.forEach(formatMoney);
  } else if (value && typeof value === 'object') {
    const object = value as Record<string, unknown>;
    if (typeof object.paise === 'number' && Object.keys(object).length === 1) object.formatted = formatPaise(object.paise);
    else Object.values(object).forEach(formatMoney);
  }
}

/** Edges carry their sort key; the page keeps `size` of the `size + 1` rows and cursors are encoded. */
function finishConnection(connection: { totalCount: number; edges: { key: (string | number)[]; node: unknown }[] }, size: number, withCursor: boolean) {
  const edges = connection.edges.slice(0, size).map((edge) => (withCursor ? { cursor: encodeCursor(edge.key), node: edge.node } : { node: edge.node }));
  const last = connection.edges[Math.min(size, connection.edges.length) - 1];
  return { ...connection, edges, pageInfo: { hasNextPage: connection.edges.length > size, endCursor: last ? encodeCursor(last.key) : null } };
}

async function me(viewer: { userId: string }) {
  const [row] = await query(ME_SQL, [viewer.userId]);
  const user = row.me;
  if (user.customer) {
    const { totalCount, pageInfo, edges } = finishConnection(user.customer.orders, 20, true);
    user.customer.orders = { totalCount, pageInfo, edges };
  }
  formatMoney(user);
  return { me: user };
}

/** `Me` of a delivery boy: the periods' earnings come from SQL as [deliveries, paise], in the contract's order. */
async function deliveryBoyMe(viewer: { userId: string }) {
  const now = new Date();
  const ranges = (['TODAY', 'WEEK', 'MONTH'] as Period[]).flatMap((period) => {
    const range = periodRange(period, now);
    return [range.from, range.to];
  });
  const [row] = await query(DELIVERY_BOY_ME_SQL, [viewer.userId, ...ranges]);
  const user = row.me;
  if (user.deliveryBoy) {
    const { earned, paid, lastPayout, ...facet } = user.deliveryBoy;
    const [today, week, month, allTime] = (['TODAY', 'WEEK', 'MONTH', 'ALL_TIME'] as Period[]).map((period, index) => ({
      period,
      deliveries: earned[index][0],
      amount: { paise: earned[index][1] },
    }));
    user.deliveryBoy = { ...facet, today, week, month, allTime, unpaidBalance: { paise: allTime.amount.paise - paid }, lastPayout };
  }
  formatMoney(user);
  return { me: user };
}

async function myRoute(viewer: { userId: string }) {
  const [row] = await query(MY_ROUTE_SQL, [viewer.userId, istDateString(new Date())]);
  return { me: { deliveryBoy: row?.route ?? null } };
}

async function supplierPortal(viewer: { supplierId: string | null }, first: number) {
  if (!viewer.supplierId) return { me: { supplier: null } };
  const month = periodRange('MONTH', new Date());
  const [row] = await query(SUPPLIER_PORTAL_SQL, [viewer.supplierId, first, month.from, month.to]);
  const { monthGross, orders, ...portal } = row.portal;
  const { totalCount, pageInfo, edges } = finishConnection(orders, first, false);
  const commission = Math.round((monthGross * portal.commissionRateBps) / 10_000);
  const supplier = {
    id: portal.id,
    businessName: portal.businessName,
    commissionRateBps: portal.commissionRateBps,
    products: portal.products,
    orders: { totalCount, pageInfo, edges },
    month: { period: 'MONTH', gross: { paise: monthGross }, commission: { paise: commission }, net: { paise: monthGross - commission } },
    priceChangeRequests: portal.priceChangeRequests,
  };
  formatMoney(supplier);
  return { me: { supplier } };
}

function send(response: ServerResponse, status: number, body: unknown, statements: number) {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-sql-statements': String(statements),
  });
  response.end(text);
}

async function handle(request: IncomingMessage, response: ServerResponse) {
  if (request.url === '/healthz') return send(response, 200, { status: 'ok' }, 0);
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as { operationName?: string; variables?: { first?: number } };
  try {
    const viewer = await viewerOf(request);
    // The bench's accounts have one facet each: a delivery boy's `Me` reads his facet, anyone else's the customer's.
    if (body.operationName === 'Me')
      return send(response, 200, { data: viewer.roles.includes('DELIVERY_BOY') ? await deliveryBoyMe(viewer) : await me(viewer) }, 2);
    if (body.operationName === 'SupplierPortal') return send(response, 200, { data: await supplierPortal(viewer, body.variables?.first ?? 20) }, 2);
    if (body.operationName === 'MyRoute') return send(response, 200, { data: await myRoute(viewer) }, 2);
    return send(response, 400, { errors: [{ message: 'the baseline answers Me, SupplierPortal and MyRoute only' }] }, 0);
  } catch (error) {
    if (error instanceof Refused) return send(response, 200, { errors: [{ message: 'unauthenticated', extensions: { code: 'UNAUTHENTICATED' } }] }, 1);
    throw error;
  }
}

const server = http.createServer((request, response) => {
  handle(request, response).catch((error: unknown) => {
    process.stderr.write(`raw baseline: ${String(error)}\n`);
    if (!response.headersSent) send(response, 500, { errors: [{ message: 'internal error' }] }, 0);
  });
});
server.keepAliveTimeout = 5_000;
server.listen(Number(process.env.PORT ?? 4100), '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));

// The HTTP front: POST/GET /graphql through Apollo, /healthz, /readyz, /metrics, and the delivery reports
// of /hooks/messages/<provider> (docs/messages.md). Bodies over 100 KB are refused
// before parsing; JSON-array batches are refused by Apollo; CSRF prevention is on. One log line per request.
import { randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { HeaderMap } from '@apollo/server';
import type { Viewer } from '../auth/viewer.js';
import type { SessionRead } from '../modules/identity/index.js';
import type { StatementTally } from '../db/statement-counter.js';
import { badRequest, ErrorCode, isAppError, unauthenticated, type AppError } from '../shared/errors.js';
import { isReceiptProviderName, ReceiptRefused } from '../modules/messages/index.js';
import type { App } from './app.js';
import { clientAddressOf } from './client-address.js';
import type { Context } from '../modules/context.js';
import { csrfRefusal, handleCors } from './cross-origin.js';
import { isIdeRequest, serveIde } from './ide/ide.handler.js';
import { createLoaders } from '../modules/all.js';
import { serveMetrics } from './metrics.js';
import { responseBody } from './operation-plans.js';
import { asServiceUnavailable } from './errors.js';
import { readiness } from './readiness.js';
import { runInRequestScope } from './request-scope.js';
import type { GraphQLRequestParts } from './trusted-documents.js';

const MAX_BODY_BYTES = 100 * 1024;

class BodyTooLarge extends Error {}

async function readBody(request: IncomingMessage): Promise<string> {
  return (await readRawBody(request)).toString('utf8');
}

/** The body's bytes as sent: what a signature is computed over. */
async function readRawBody(request: IncomingMessage): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > MAX_BODY_BYTES) throw new BodyTooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A header's value as one text (Node joins repeats of most headers with ", " already); null when absent. */
function headerText(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return Array.isArray(value) ? value.join(', ') : value;
}

function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  response.end(text);
}

/**
 * A refusal of the HTTP request itself, in the shape of a GraphQL answer so that clients read it alike;
 * never stored by a cache (a persisted query's GET may pass through one).
 */
function sendRefusal(response: ServerResponse, status: number, error: AppError): void {
  sendJson(response, status, { errors: [{ message: error.message, extensions: error.extensions }] }, { 'cache-control': 'no-store' });
}

interface Authentication {
  viewer: Viewer | null;
  authError: AppError | null;
  /** What the session check read besides the viewer: primed into the request's loaders (queries only). */
  session?: SessionRead;
}

async function authenticate(app: App, header: string | undefined, clientIp: string): Promise<Authentication> {
  if (!header) return { viewer: null, authError: null };
  const match = /^Bearer ([A-Za-z0-9._~+/=-]{1,4096})$/.exec(header);
  if (!match) return { viewer: null, authError: unauthenticated('malformed Authorization header') };
  try {
    const now = app.clock.now();
    const claims = await app.tokens.verify(match[1], now);
    const loaded = await app.services.sessions.loadViewerAndUser(claims.userId, claims.sessionId, now, clientIp);
    return loaded ? { viewer: loaded.viewer, authError: null, session: loaded } : { viewer: null, authError: unauthenticated('session has ended') };
  } catch (error) {
    if (isAppError(error)) return { viewer: null, authError: error };
    throw error;
  }
}

/** Refuses (HTTP 400) a document this caller may not run; true when it did. */
function refuseUntrusted(app: App, response: ServerResponse, resolved: Parameters<App['trust']['refusal']>[0], viewer: Viewer | null): boolean {
  const refusal = app.trust.refusal(resolved, viewer);
  if (!refusal) return false;
  app.metrics.countDocumentRefusal('untrusted');
  sendRefusal(response, 400, refusal);
  return true;
}

/** A GET request's query and extensions; null when `extensions` is not JSON. */
function getRequestParts(url: URL): GraphQLRequestParts | null {
  const extensions = url.searchParams.get('extensions');
  if (extensions === null) return { query: url.searchParams.get('query') ?? undefined };
  try {
    return { query: url.searchParams.get('query') ?? undefined, extensions: JSON.parse(extensions) };
  } catch {
    return null;
  }
}

function rewrittenSearch(url: URL, query: string | undefined, extensions: Record<string, unknown> | undefined): string {
  const params = new URLSearchParams(url.search);
  if (query !== undefined) params.set('query', query);
  if (extensions) params.set('extensions', JSON.stringify(extensions));
  else params.delete('extensions');
  return `?${params.toString()}`;
}

/** A POST request's body (JSON, or the text as sent) and its operation name; null when it was refused. */
async function readGraphQLBody(request: IncomingMessage, response: ServerResponse): Promise<{ body: unknown; operationName: string | undefined } | null> {
  let body: unknown = undefined;
  let operationName: string | undefined;
  const text = await readBody(request);
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.includes('application/json')) {
    try {
      body = text.length > 0 ? JSON.parse(text) : undefined;
    } catch {
      sendRefusal(response, 400, badRequest('request body is not valid JSON'));
      return null;
    }
    if (Array.isArray(body)) {
      sendRefusal(response, 400, badRequest('batched requests are not accepted: send one operation per request'));
      return null;
    }
  } else {
    body = text;
  }
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const name = (body as { operationName?: unknown }).operationName;
    if (typeof name === 'string') operationName = name.slice(0, 100);
  }
  return { body, operationName };
}

type ResolvedDocument = Exclude<ReturnType<App['trust']['resolve']>, { error: unknown }>;

/**
 * Trusted documents: an id becomes its body; a caller who may run only trusted documents and sends no
 * token is refused before the session check. Null when the request was refused.
 */
function resolveDocument(
  app: App,
  request: IncomingMessage,
  response: ServerResponse,
  url: URL,
  sent: unknown,
): { resolved: ResolvedDocument; body: unknown; search: string } | null {
  const method = request.method ?? 'GET';
  let body = sent;
  let search = url.search;
  const parts = method === 'POST' ? (body !== null && typeof body === 'object' ? (body as GraphQLRequestParts) : {}) : getRequestParts(url);
  if (parts === null) {
    sendRefusal(response, 400, badRequest('the `extensions` parameter is not valid JSON'));
    return null;
  }
  const resolved = app.trust.resolve(parts);
  if ('error' in resolved) {
    if (resolved.error.code === ErrorCode.PERSISTED_QUERY_NOT_FOUND) app.metrics.countDocumentRefusal('unknown-id');
    sendRefusal(response, resolved.status, resolved.error);
    return null;
  }
  if (!request.headers.authorization && refuseUntrusted(app, response, resolved, null)) return null;
  if (resolved.rewritten) {
    if (method === 'POST') {
      const { extensions: _sent, ...rest } = body as Record<string, unknown>;
      body = { ...rest, query: resolved.query, ...(resolved.extensions ? { extensions: resolved.extensions } : {}) };
    } else {
      search = rewrittenSearch(url, resolved.query, resolved.extensions);
    }
  }
  return { resolved, body, search };
}

/** Apollo's answer as it gave it, with the statement count outside production. */
async function sendGraphQLResult(
  app: App,
  response: ServerResponse,
  result: Awaited<ReturnType<App['apollo']['executeHTTPGraphQLRequest']>>,
  tally: StatementTally,
): Promise<void> {
  const outgoing: Record<string, string> = {};
  for (const [key, value] of result.headers) outgoing[key] = value;
  // Outside production (and under `npm run bench`) the statement count is visible to tests and benchmarks.
  if (app.config.NODE_ENV !== 'production' || app.config.BENCH) outgoing['x-sql-statements'] = String(tally.statements);
  response.writeHead(result.status ?? 200, outgoing);
  if (result.body.kind === 'complete') {
    response.end(responseBody(tally, result.body.string));
  } else {
    for await (const chunk of result.body.asyncIterator) response.write(chunk);
    response.end();
  }
}

async function handleGraphQL(app: App, request: IncomingMessage, response: ServerResponse, url: URL, tally: StatementTally) {
  const method = request.method ?? 'GET';
  const csrf = csrfRefusal(request.headers);
  if (csrf) {
    sendRefusal(response, 400, csrf);
    return undefined;
  }
  let sent: unknown = undefined;
  let operationName: string | undefined;
  if (method === 'POST') {
    const read = await readGraphQLBody(request, response);
    if (read === null) return undefined;
    ({ body: sent, operationName } = read);
  } else {
    operationName = url.searchParams.get('operationName')?.slice(0, 100);
  }
  const document = resolveDocument(app, request, response, url, sent);
  if (document === null) return operationName;
  const { resolved, body, search } = document;
  const headers = new HeaderMap();
  for (const [key, value] of Object.entries(request.headers)) {
    if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
  }
  const clientIp = clientAddressOf(request, app.config.TRUST_PROXY);
  const { viewer, authError, session } = await authenticate(app, request.headers.authorization, clientIp);
  if (request.headers.authorization && refuseUntrusted(app, response, resolved, viewer)) return operationName;
  const context: Context = {
    clientIp,
    userAgent: request.headers['user-agent']?.slice(0, 300) ?? null,
    clientHeaders: {
      clientName: headerText(request.headers['x-client-name'])?.slice(0, 200) ?? null,
      clientVersion: headerText(request.headers['x-client-version'])?.slice(0, 200) ?? null,
      deviceId: headerText(request.headers['x-device-id'])?.slice(0, 200) ?? null,
    },
    viewer,
    idempotencyKeyHeader: headerText(request.headers['idempotency-key']),
    authError,
    loaders: createLoaders({ db: app.database.prisma, counters: app.counters, clock: app.clock }),
    session: session ?? null,
    services: app.services,
    clock: app.clock,
  };
  const result = await app.apollo.executeHTTPGraphQLRequest({
    httpGraphQLRequest: { method, headers, search, body },
    context: async () => context,
  });
  await sendGraphQLResult(app, response, result, tally);
  return operationName;
}

function createRequestHandler(app: App) {
  return (request: IncomingMessage, response: ServerResponse) => {
    const started = process.hrtime.bigint();
    const incomingId = request.headers['x-request-id'];
    const requestId = typeof incomingId === 'string' && /^[\w-]{8,64}$/.test(incomingId) ? incomingId : randomUUID();
    response.setHeader('x-request-id', requestId);
    // Everything the request runs (the error formatter, the metrics plugin) can read its id and start time.
    // It also counts the SQL statements the request sends.
    // With read replicas, where its reads go (db/replicas.ts, server/read-routing.ts).
    const scope = { requestId, startedAt: started, statements: 0, ...(app.database.replicas ? { readRouting: { replica: null, wrote: false } } : {}) };
    return runInRequestScope(scope, () => handleRequest(app, request, response, requestId, started, scope));
  };
}

async function handleRequest(app: App, request: IncomingMessage, response: ServerResponse, requestId: string, started: bigint, tally: StatementTally) {
  const url = new URL(request.url ?? '/', 'http://localhost');
  let operationName: string | undefined;
  try {
    if (isIdeRequest(app.config, request, url)) {
      await serveIde(request, response, url, app.clock);
    } else if (url.pathname === '/graphql') {
      if (handleCors(app.config.CORS_ORIGINS, request, response)) return;
      operationName = await handleGraphQL(app, request, response, url, tally);
    } else if (url.pathname === '/healthz' && request.method === 'GET') {
      sendJson(response, 200, { status: 'ok' });
    } else if (url.pathname === '/readyz' && request.method === 'GET') {
      const ready = await readiness(app.database, app.redis);
      sendJson(response, ready.ready ? 200 : 503, ready);
    } else if (url.pathname === '/metrics' && request.method === 'GET') {
      await serveMetrics(app.config, app.metrics, request, response);
    } else if (url.pathname.startsWith(MESSAGE_HOOKS) && (request.method === 'POST' || request.method === 'GET')) {
      await handleMessageHook(app, request, response, url);
    } else {
      sendJson(response, 404, { error: 'not found' });
    }
  } catch (error) {
    const outage = error instanceof BodyTooLarge ? null : asServiceUnavailable(error, app.outages);
    if (error instanceof BodyTooLarge) {
      sendRefusal(response, 413, badRequest('request body too large'));
    } else if (outage && !response.headersSent) {
      // The session check (before Apollo) found the database or Redis unreachable: retryable, logged by
      // the outage log rather than with a stack per request.
      response.setHeader('retry-after', String(outage.extensions.retryAfterSeconds));
      sendRefusal(response, 503, outage);
    } else {
      const errorId = randomUUID();
      app.log.error({ err: error, errorId, requestId }, 'request failed');
      if (!response.headersSent) {
        sendJson(response, 500, { errors: [{ message: 'internal server error', extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR, errorId } }] });
      } else {
        response.end();
      }
    }
  } finally {
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    app.log.info(
      {
        requestId,
        method: request.method,
        path: url.pathname,
        status: response.statusCode,
        durationMs: Math.round(durationMs * 10) / 10,
        operationName,
        statements: tally.statements,
      },
      'request',
    );
  }
}

const MESSAGE_HOOKS = '/hooks/messages/';

/** Delivery reports (POST) and Meta's subscription handshake (GET /hooks/messages/whatsapp). */
async function handleMessageHook(app: App, request: IncomingMessage, response: ServerResponse, url: URL): Promise<void> {
  const provider = url.pathname.slice(MESSAGE_HOOKS.length);
  const receipts = app.services.messageReceipts;
  try {
    if (request.method === 'GET') {
      if (provider !== 'whatsapp') throw new ReceiptRefused(404, 'only the whatsapp hook answers a subscription handshake');
      const challenge = receipts.verifySubscription(url.searchParams);
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      response.end(challenge);
      return;
    }
    const body = await readRawBody(request);
    const header = isReceiptProviderName(provider) ? headerText(request.headers[receipts.signatureHeader(provider)]) : null;
    sendJson(response, 200, await receipts.receive(provider, body, header ?? undefined));
  } catch (error) {
    if (!(error instanceof ReceiptRefused)) throw error;
    sendJson(response, error.httpStatus, { error: error.message });
  }
}

export interface RunningServer {
  readonly server: http.Server;
  readonly port: number;
  readonly url: string;
  /**
   * Stops accepting connections and waits for requests in flight. With `graceMs` (shutdown): every
   * request already received is answered, with `Connection: close`; for IDLE_DRAIN_MS connections are
   * still accepted and idle keep-alive ones kept, for requests already on their way; whatever is still
   * open at 80 % of `graceMs` is cut.
   */
  close(graceMs?: number): Promise<void>;
}

/** After SIGTERM, how long connections are still accepted and idle ones kept, for requests already sent. */
const IDLE_DRAIN_MS = 1_000;

export async function listen(app: App, port: number, host: string): Promise<RunningServer> {
  const handler = createRequestHandler(app);
  let closing = false;
  const unanswered = new Set<ServerResponse>();
  const server = http.createServer((request, response) => {
    // Once closing, every answer ends its connection, so the client sends its next request elsewhere.
    if (closing) response.setHeader('connection', 'close');
    unanswered.add(response);
    response.once('close', () => unanswered.delete(response));
    void handler(request, response);
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
  return {
    server,
    port: address.port,
    url: `http://${shownHost}:${address.port}/graphql`,
    close: (graceMs?: number) =>
      new Promise<void>((resolve) => {
        if (graceMs === undefined) {
          server.close(() => resolve());
          server.closeIdleConnections();
          return;
        }
        closing = true;
        for (const response of unanswered) if (!response.headersSent) response.setHeader('connection', 'close');
        const timers: NodeJS.Timeout[] = [];
        const done = () => {
          for (const timer of timers) clearTimeout(timer);
          resolve();
        };
        // Listening goes on for the drain window: closing the socket at once would reset connections the
        // kernel has accepted but the process has not yet taken.
        timers.push(
          setTimeout(
            () => {
              // net.Server's close stops listening only; http.Server's also closes idle connections, resetting
              // those whose request has arrived but not been read. Node never counts a connection that is
              // partly through a request as idle.
              net.Server.prototype.close.call(server, done);
              server.closeIdleConnections();
              timers.push(setInterval(() => server.closeIdleConnections(), 100));
            },
            Math.min(IDLE_DRAIN_MS, graceMs / 4),
          ),
        );
        timers.push(setTimeout(() => server.closeAllConnections(), graceMs * 0.8));
      }),
  };
}

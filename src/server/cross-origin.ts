// The browser-facing edge of /graphql (SPEC §8): CORS for the origins in CORS_ORIGINS, and the CSRF refusal
// of simple requests. Access is by bearer token, never cookies, so no credentials mode is offered
// (no Access-Control-Allow-Credentials): a page on another origin can only use a token it holds.
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, type AppError } from '../shared/errors.js';

const CORS_ALLOWED_METHODS = 'GET, POST, OPTIONS';
const CORS_ALLOWED_HEADERS =
  'content-type, authorization, apollo-require-preflight, x-request-id, idempotency-key, x-client-name, x-client-version, x-device-id';
/** Readable by the page: the id to quote when reporting a problem. */
const CORS_EXPOSED_HEADERS = 'x-request-id';
/** How long a browser may reuse a preflight answer, in seconds. */
const CORS_MAX_AGE_SECONDS = 600;

/** Is `origin` one of `allowed` (exact origins, or `scheme://host:*` for any port of that host)? */
export function isAllowedOrigin(allowed: readonly string[], origin: string): boolean {
  for (const entry of allowed) {
    if (entry === origin) return true;
    if (entry.endsWith(':*')) {
      const host = entry.slice(0, -2);
      if (origin === host) return true;
      if (origin.startsWith(`${host}:`) && /^\d{1,5}$/.test(origin.slice(host.length + 1))) return true;
    }
  }
  return false;
}

/**
 * Adds the CORS headers a request to /graphql needs and answers OPTIONS itself (a preflight goes no
 * further). Returns true when the response has been sent. An origin not allowed gets no
 * Access-Control-Allow-Origin, so the browser keeps the answer from the page.
 */
export function handleCors(allowed: readonly string[], request: IncomingMessage, response: ServerResponse): boolean {
  // The answer depends on the Origin header, so caches must keep one per origin.
  response.setHeader('vary', 'Origin');
  const origin = request.headers.origin;
  const admitted = typeof origin === 'string' && isAllowedOrigin(allowed, origin);
  if (admitted) {
    response.setHeader('access-control-allow-origin', origin);
    response.setHeader('access-control-expose-headers', CORS_EXPOSED_HEADERS);
  }
  if (request.method !== 'OPTIONS') return false;
  if (admitted) {
    response.setHeader('access-control-allow-methods', CORS_ALLOWED_METHODS);
    response.setHeader('access-control-allow-headers', CORS_ALLOWED_HEADERS);
    response.setHeader('access-control-max-age', String(CORS_MAX_AGE_SECONDS));
  }
  response.writeHead(204, { allow: CORS_ALLOWED_METHODS });
  response.end();
  return true;
}

/** Content types a cross-site form or `fetch` may send without a preflight. */
const SIMPLE_CONTENT_TYPES = new Set(['application/x-www-form-urlencoded', 'multipart/form-data', 'text/plain']);
const PREFLIGHT_HEADERS = ['apollo-require-preflight', 'x-apollo-operation-name'];

/**
 * A request another site could make a browser send without asking (no content type, or a form's or
 * text/plain, and no custom header) is refused before it runs. Apollo's own check (csrfPrevention) stays on
 * behind this one; this one answers in the API's terms, naming what to send.
 */
export function csrfRefusal(headers: IncomingHttpHeaders): AppError | null {
  const contentType = headers['content-type']?.split(';')[0]?.trim().toLowerCase();
  if (contentType && !SIMPLE_CONTENT_TYPES.has(contentType)) return null;
  if (PREFLIGHT_HEADERS.some((name) => typeof headers[name] === 'string' && headers[name].length > 0)) return null;
  return badRequest('request blocked by CSRF prevention: send the header `content-type: application/json` (POST) or `apollo-require-preflight: true` (GET)');
}

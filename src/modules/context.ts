// The per-request context every resolver receives: who is calling, fresh DataLoaders, the clock and the
// application's services (the request id and the SQL statement tally live in the request's scope,
// server/request-scope.ts, not here). Built once per HTTP request in src/server/http.ts; it lives with the
// modules because their resolvers are its readers, and the server only fills it in.
// It imports no module: each module's descriptor file adds its services and loaders to `Services` and
// `Loaders` below (declaration merging, `declare module '../context.js'`), and src/modules/all.ts checks
// that what they add is exactly what the modules create.
import type { Viewer } from '../auth/viewer.js';
import type { AppError } from '../shared/errors.js';
import type { Clock } from '../shared/clock.js';

/** Every module's services, by name: created once at start-up and shared by every request. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by each module's descriptor file
export interface Services {}

/** Every module's DataLoaders, by name: fresh for every request. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by each module's descriptor file
export interface Loaders {}

interface RequestInfo {
  readonly clientIp: string;
  readonly userAgent: string | null;
  /** The x-client-name, x-client-version and x-device-id headers as sent; sign-ins check them. */
  readonly clientHeaders?: { clientName: string | null; clientVersion: string | null; deviceId: string | null };
}

export interface Context extends RequestInfo {
  readonly viewer: Viewer | null;
  /** The Idempotency-Key header as sent (validated only by the mutations that take a key). */
  readonly idempotencyKeyHeader?: string | null;
  /** Set by sign-in mutations: the viewer their payload is judged for (auth/viewer.ts `viewerFor`). */
  issuedViewers?: Map<string, Viewer>;
  /** Why a presented token was refused: protected fields answer with it instead of a generic error. */
  readonly authError: AppError | null;
  readonly loaders: Loaders;
  readonly services: Services;
  readonly clock: Clock;
}

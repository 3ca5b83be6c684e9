// The one place that reads process.env (SPEC §10): parsed once, every problem named, frozen.
import { z } from 'zod';
import { secretWeakness } from './secret-strength.js';

const booleanFlag = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const environmentFields = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  // Behind PgBouncer in transaction mode (docs/deployment.md): named prepared statements off, and the
  // migrations' session-level lock on a direct connection.
  DATABASE_DIRECT_URL: optionalText.pipe(
    z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
      .optional(),
  ),
  DATABASE_NAMED_STATEMENTS: booleanFlag.default(true),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  // Every statement is bounded (PostgreSQL's statement_timeout, and the driver's own read timeout for a
  // server that does not answer at all), and so is opening a connection: a frozen database answers
  // SERVICE_UNAVAILABLE instead of holding requests for ever.
  DATABASE_STATEMENT_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, 'must be at least 100 (milliseconds)')
    .max(600_000, 'must be at most 600000 (10 minutes)')
    .default(5000),
  DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100, 'must be at least 100 (milliseconds)').max(60_000, 'must be at most 60000').default(3000),
  DATA_DIR: z.string().min(1).default('.data'),
  // Read replicas (docs/deployment.md "Read replicas"): comma-separated URLs; a replica whose lag exceeds
  // the maximum, or that does not answer, is skipped for the primary.
  DATABASE_REPLICA_URLS: z.string().optional().transform(parseReplicaUrls),
  DATABASE_REPLICA_MAX_LAG_SECONDS: z.coerce.number().int().min(1, 'must be at least 1 (seconds)').max(3600, 'must be at most 3600 (an hour)').default(30),
  REDIS_URL: optionalText.pipe(
    z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .optional(),
  ),
  // A Redis command (and a connection attempt) that gets no answer fails after this long.
  REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10, 'must be at least 10 (milliseconds)').max(60_000, 'must be at most 60000').default(500),
  REDIS_KEY_PREFIX: z
    .string()
    .regex(/^[\w:.-]{1,64}$/, 'letters, digits, _ : . - only')
    .default('bff:'),
  JWT_SECRET: optionalText,
  JWT_PRIVATE_KEY: optionalText,
  JWT_PUBLIC_KEY: optionalText,
  JWT_ISSUER: z.string().min(1).default('dairy-bff'),
  JWT_AUDIENCE: z.string().min(1).default('dairy-apps'),
  BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
  // log and webhook carry every message as one JSON object; gateways sends each channel through its
  // provider (WhatsApp Cloud API, MSG91 or a webhook for SMS, a webhook for email), see docs/messages.md.
  MESSAGE_CHANNEL: z.enum(['log', 'webhook', 'gateways']).default('log'),
  // Roles that must sign in with a second factor (docs/authentication.md): comma-separated role names, or
  // `none`. Unset or empty = ADMIN.
  MFA_REQUIRED_ROLES: z
    .string()
    .optional()
    .transform(roleList(['ADMIN'])),
  // Trusted documents (docs/frontend.md): `only` (the production default) lets callers outside
  // ADHOC_OPERATION_ROLES run only the operations of contract/persisted-query-manifest.json; `allow` (the
  // default elsewhere) runs any document for anyone. Manifest ids are accepted either way.
  TRUSTED_DOCUMENTS: z.enum(['only', 'allow']).optional(),
  // Planned operations (docs/architecture.md "Planned operations"): `on` answers the contract's `Me` and `MyRoute` for the
  // roles they are planned for with one statement built for them; `off` runs every document through the
  // general executor. Both give the same answer.
  OPERATION_PLANS: z.enum(['on', 'off']).default('on'),
  // Roles that may send documents of their own (the IDE's users): comma-separated, or `none`. Unset or
  // empty = ADMIN,MARKETING_STAFF.
  ADHOC_OPERATION_ROLES: z
    .string()
    .optional()
    .transform(roleList(['ADMIN', 'MARKETING_STAFF'])),
  // Passkeys (WebAuthn): the relying party's id (a registrable domain, no scheme or port) and the exact
  // origins a browser may use them from. Unset = the API's own host name in development and tests;
  // required in production, where unset means passkeys are off.
  WEBAUTHN_RP_ID: optionalText.pipe(
    z
      .string()
      .regex(/^(localhost|([a-z0-9-]+\.)+[a-z0-9-]+)$/, 'must be a domain name such as admin.example.in (no scheme, port or path)')
      .optional(),
  ),
  WEBAUTHN_RP_NAME: z.string().trim().min(1).max(64).default('Dairy admin'),
  WEBAUTHN_ORIGINS: z.string().optional().transform(parseWebauthnOrigins),
  MESSAGE_WEBHOOK_URL: optionalText.pipe(z.url().optional()),
  MESSAGE_SEND_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100, 'must be at least 100 (milliseconds)')
    .max(30_000, "must be at most 30000, well inside the dispatcher's 60 s lease")
    .default(10_000),
  MESSAGE_WHATSAPP_URL: z.url().default('https://graph.facebook.com/v21.0'),
  MESSAGE_WHATSAPP_PHONE_NUMBER_ID: optionalText.pipe(
    z
      .string()
      .regex(/^\d{1,32}$/, 'must be the numeric phone number id of the WhatsApp Business account')
      .optional(),
  ),
  MESSAGE_WHATSAPP_ACCESS_TOKEN: optionalText,
  MESSAGE_WHATSAPP_APP_SECRET: optionalText,
  MESSAGE_WHATSAPP_VERIFY_TOKEN: optionalText,
  MESSAGE_WHATSAPP_LANGUAGE: z
    .string()
    .regex(/^[a-z]{2,3}(_[A-Z]{2})?$/, 'must be a language code such as en or en_US')
    .default('en'),
  MESSAGE_WHATSAPP_FALLBACK_SECONDS: z.coerce.number().int().min(10, 'must be at least 10 (seconds)').max(86_400, 'must be at most 86400 (a day)').default(120),
  MESSAGE_SMS_PROVIDER: z.enum(['webhook', 'msg91']).default('webhook'),
  MESSAGE_SMS_URL: optionalText.pipe(z.url().optional()),
  MESSAGE_MSG91_AUTH_KEY: optionalText,
  MESSAGE_MSG91_SENDER: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Z]{6}$/, 'must be the six-letter DLT sender header')
      .optional(),
  ),
  MESSAGE_EMAIL_URL: optionalText.pipe(z.url().optional()),
  // Key of the HMAC-SHA256 signature (X-Signature-256) that generic and MSG91 delivery reports carry.
  MESSAGE_WEBHOOK_SECRET: optionalText,
  MESSAGE_LOG_FILE: optionalText,
  MESSAGE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
  MESSAGE_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
  // The message catalogue (docs/messages.md); unset = the shipped config/message-templates.json.
  MESSAGE_TEMPLATES_FILE: optionalText,
  // The OTP SMS ends with `@<domain> #<code>` (the browser's WebOTP API): the site's host name.
  OTP_WEBOTP_DOMAIN: optionalText.pipe(
    z
      .string()
      .regex(
        /^(?=.{4,100}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be a lower-case host name such as app.dairy.example (no scheme, port or path)',
      )
      .optional(),
  ),
  // Android's SMS Retriever finds the OTP SMS by the app's 11-character hash (from its signing key).
  OTP_APP_HASH: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Za-z0-9+/]{11}$/, 'must be the 11-character app hash (letters, digits, + and /)')
      .optional(),
  ),
  // The outbox dispatcher loop; unset = on, except in tests, which run the dispatcher by hand.
  MESSAGE_DISPATCH: z.enum(['on', 'off']).optional(),
  // The OTP pumping guard (besides the per-phone limits): codes per national-number prefix (its first
  // seven digits) in a fixed window, and codes for the whole service per IST day.
  OTP_PREFIX_LIMIT: z.coerce.number().int().min(1).max(1_000_000).default(30),
  OTP_PREFIX_WINDOW_SECONDS: z.coerce.number().int().min(60, 'must be at least 60 (seconds)').max(86_400, 'must be at most 86400 (a day)').default(3600),
  OTP_DAILY_LIMIT: z.coerce.number().int().min(1).max(100_000_000).default(20_000),
  ALLOW_INTROSPECTION: booleanFlag.optional(),
  GRAPHQL_IDE: booleanFlag.optional(),
  SWEEP_SCHEDULE: z.string().min(1).default('0 2 * * *'),
  // How many proxies in front of the server append to X-Forwarded-For: the client address is the entry
  // that many from the right (the left-most is whatever the client wrote). true = 1, false = 0 = the socket.
  TRUST_PROXY: z
    .string()
    .trim()
    .regex(/^(true|false|yes|no|\d{1,2})$/i, 'must be false, true (one proxy) or the number of proxies in front of the server, 0 to 10')
    .transform((value) => (/^(true|yes)$/i.test(value) ? 1 : /^(false|no)$/i.test(value) ? 0 : Number(value)))
    .pipe(z.number().int().max(10, 'must be false, true (one proxy) or the number of proxies in front of the server, 0 to 10'))
    .default(0),
  // How long SIGTERM may take: requests already received are answered, then the process exits; at the
  // end of this it exits regardless (orchestrators kill after their own grace, commonly 30 s).
  SHUTDOWN_GRACE_MS: z.coerce.number().int().min(1000).max(600_000).default(25_000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  // Browser origins served through CORS (SPEC §8). Unset = none in production, any localhost port otherwise.
  CORS_ORIGINS: z.string().optional().transform(parseCorsOrigins),
  // Bearer token for GET /metrics; unset = /metrics open outside production and absent in production.
  // Checked like JWT_SECRET (below): it is a bearer secret too.
  METRICS_TOKEN: optionalText,
  // Demo data on start-up when the database has no users at all; unset = on in development only.
  SEED_DEMO_DATA: booleanFlag.optional(),
  // Set only by `npm run bench`: the statement count header is then sent in production too.
  BENCH: booleanFlag.default(false),
});

type EnvironmentFields = z.output<typeof environmentFields>;

/** Every configuration variable, by name (the README's table documents each one). */
export const CONFIGURATION_VARIABLES: readonly string[] = Object.keys(environmentFields.shape);
type Problems = z.RefinementCtx;

const environmentSchema = environmentFields.superRefine((environment, context) => {
  const production = environment.NODE_ENV === 'production';
  secretProblems(environment, context);
  jwtKeyProblems(environment, production, context);
  databaseProblems(environment, context);
  messageProblems(environment, context);
  webauthnProblems(environment, production, context);
  if (environment.SWEEP_SCHEDULE !== 'off' && !isCronExpression(environment.SWEEP_SCHEDULE)) {
    context.addIssue({
      code: 'custom',
      path: ['SWEEP_SCHEDULE'],
      message: 'must be a five-field cron expression or "off"',
    });
  }
});

/** Bcrypt's cost outside tests, and the strength of every bearer secret. */
function secretProblems(environment: EnvironmentFields, context: Problems): void {
  if (environment.NODE_ENV !== 'test' && environment.BCRYPT_COST < 10) {
    context.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'must be at least 10 outside tests' });
  }
  for (const name of ['JWT_SECRET', 'METRICS_TOKEN', 'MESSAGE_WEBHOOK_SECRET'] as const) {
    const secret = environment[name];
    const weakness = secret === undefined ? undefined : secretWeakness(secret);
    if (weakness) context.addIssue({ code: 'custom', path: [name], message: weakness });
  }
}

/** The token signing keys: a key pair is whole, and production has a secret or a key pair. */
function jwtKeyProblems(environment: EnvironmentFields, production: boolean, context: Problems): void {
  if ((environment.JWT_PRIVATE_KEY === undefined) !== (environment.JWT_PUBLIC_KEY === undefined)) {
    context.addIssue({
      code: 'custom',
      path: [environment.JWT_PRIVATE_KEY ? 'JWT_PUBLIC_KEY' : 'JWT_PRIVATE_KEY'],
      message: 'JWT_PRIVATE_KEY and JWT_PUBLIC_KEY go together',
    });
  }
  if (production && environment.JWT_SECRET === undefined && environment.JWT_PRIVATE_KEY === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['JWT_SECRET'],
      message: 'is required in production (at least 32 random bytes: `openssl rand -base64 48`), or JWT_PRIVATE_KEY/JWT_PUBLIC_KEY',
    });
  }
}

/** Replicas and the direct URL only make sense beside a PostgreSQL primary. */
function databaseProblems(environment: EnvironmentFields, context: Problems): void {
  if (environment.DATABASE_REPLICA_URLS.length > 0 && environment.DATABASE_URL === undefined) {
    context.addIssue({ code: 'custom', path: ['DATABASE_REPLICA_URLS'], message: 'needs DATABASE_URL (the primary); the embedded database has no replicas' });
  } else if (environment.DATABASE_URL !== undefined && environment.DATABASE_REPLICA_URLS.includes(environment.DATABASE_URL)) {
    context.addIssue({ code: 'custom', path: ['DATABASE_REPLICA_URLS'], message: 'lists DATABASE_URL itself: give the replicas only' });
  }
  if (environment.DATABASE_DIRECT_URL !== undefined && environment.DATABASE_URL === undefined) {
    context.addIssue({ code: 'custom', path: ['DATABASE_DIRECT_URL'], message: 'is only used with DATABASE_URL (PostgreSQL)' });
  }
}

/** What the chosen MESSAGE_CHANNEL needs. */
function messageProblems(environment: EnvironmentFields, context: Problems): void {
  if (environment.MESSAGE_CHANNEL === 'webhook' && environment.MESSAGE_WEBHOOK_URL === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['MESSAGE_WEBHOOK_URL'],
      message: 'is required when MESSAGE_CHANNEL=webhook',
    });
  }
  if (environment.MESSAGE_CHANNEL === 'gateways') gatewayProblems(environment, context);
}

/** Passkeys: the relying party and its origins go together, and every origin is on the relying party. */
function webauthnProblems(environment: EnvironmentFields, production: boolean, context: Problems): void {
  if (environment.WEBAUTHN_ORIGINS !== undefined && environment.WEBAUTHN_RP_ID === undefined) {
    context.addIssue({ code: 'custom', path: ['WEBAUTHN_RP_ID'], message: 'is required when WEBAUTHN_ORIGINS is set' });
  }
  if (environment.WEBAUTHN_RP_ID !== undefined && environment.WEBAUTHN_ORIGINS !== undefined) {
    const rpId = environment.WEBAUTHN_RP_ID;
    for (const origin of environment.WEBAUTHN_ORIGINS) {
      const host = new URL(origin).hostname;
      if (host !== rpId && !host.endsWith(`.${rpId}`)) {
        context.addIssue({ code: 'custom', path: ['WEBAUTHN_ORIGINS'], message: `${origin} is not on ${rpId} or a subdomain of it (WEBAUTHN_RP_ID)` });
      }
    }
  }
  if (production && environment.WEBAUTHN_RP_ID !== undefined && environment.WEBAUTHN_ORIGINS === undefined) {
    context.addIssue({ code: 'custom', path: ['WEBAUTHN_ORIGINS'], message: 'is required in production when WEBAUTHN_RP_ID is set' });
  }
}

/** What MESSAGE_CHANNEL=gateways needs: an SMS and an email route; WhatsApp is optional but whole. */
function gatewayProblems(environment: Record<string, unknown>, context: z.RefinementCtx): void {
  const missing = (path: string, message: string) => context.addIssue({ code: 'custom', path: [path], message });
  const whatsapp = ['MESSAGE_WHATSAPP_PHONE_NUMBER_ID', 'MESSAGE_WHATSAPP_ACCESS_TOKEN'] as const;
  const given = whatsapp.filter((name) => environment[name] !== undefined);
  if (given.length === 1) {
    missing(
      whatsapp.find((name) => environment[name] === undefined)!,
      'MESSAGE_WHATSAPP_PHONE_NUMBER_ID and MESSAGE_WHATSAPP_ACCESS_TOKEN go together',
    );
  }
  if (environment.MESSAGE_SMS_PROVIDER === 'webhook' && environment.MESSAGE_SMS_URL === undefined) {
    missing('MESSAGE_SMS_URL', 'is required when MESSAGE_CHANNEL=gateways and MESSAGE_SMS_PROVIDER=webhook');
  }
  if (environment.MESSAGE_SMS_PROVIDER === 'msg91') {
    if (environment.MESSAGE_MSG91_AUTH_KEY === undefined) missing('MESSAGE_MSG91_AUTH_KEY', 'is required when MESSAGE_SMS_PROVIDER=msg91');
    if (environment.MESSAGE_MSG91_SENDER === undefined) missing('MESSAGE_MSG91_SENDER', 'is required when MESSAGE_SMS_PROVIDER=msg91');
  }
  if (environment.MESSAGE_EMAIL_URL === undefined)
    missing('MESSAGE_EMAIL_URL', 'is required when MESSAGE_CHANNEL=gateways (messages to customers without a phone)');
}

const ROLE_NAMES = ['CUSTOMER', 'DELIVERY_BOY', 'SUPPLIER', 'MARKETING_STAFF', 'ADMIN'] as const;
type RoleName = (typeof ROLE_NAMES)[number];

/** Comma-separated role names, or `none`; unset or empty = `defaults`. */
function roleList(defaults: readonly RoleName[]) {
  return (value: string | undefined, context: z.RefinementCtx): RoleName[] => {
    if (value === undefined || value.trim() === '') return [...defaults];
    if (value.trim().toLowerCase() === 'none') return [];
    const roles: RoleName[] = [];
    for (const entry of value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0)) {
      if ((ROLE_NAMES as readonly string[]).includes(entry)) roles.push(entry as RoleName);
      else context.addIssue({ code: 'custom', message: `"${entry}" is not a role: give role names (${ROLE_NAMES.join(', ')}) comma-separated, or none` });
    }
    return [...new Set(roles)];
  };
}

/** Exact https origins (http only for localhost), comma-separated: where the IDE's passkeys may be used. */
function parseWebauthnOrigins(value: string | undefined, context: z.RefinementCtx): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    let origin: string | null = null;
    try {
      const url = new URL(entry);
      const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1';
      if (url.protocol === 'https:' || (url.protocol === 'http:' && local)) origin = url.origin;
    } catch {
      origin = null;
    }
    if (origin !== entry) {
      context.addIssue({
        code: 'custom',
        message: `"${entry}" is not an origin: give https://host[:port] (http only for localhost), no path or trailing slash, comma-separated`,
      });
    }
  }
  return entries;
}

/** Exact origins, comma-separated (`https://app.example.in`); a port of `*` admits any port of that host. */
function parseCorsOrigins(value: string | undefined, context: z.RefinementCtx): string[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry.length > 0);
  for (const entry of entries) {
    const exact = entry.endsWith(':*') ? entry.slice(0, -2) : entry;
    let origin: string | null = null;
    try {
      const url = new URL(exact);
      // URL admits `*` in a host name; an origin header never carries one.
      if ((url.protocol === 'http:' || url.protocol === 'https:') && /^([a-z0-9-]+\.)*[a-z0-9-]+$|^\[[0-9a-f:.]+\]$/.test(url.hostname)) origin = url.origin;
    } catch {
      origin = null;
    }
    if (origin !== exact) {
      context.addIssue({
        code: 'custom',
        message: `"${entry}" is not an origin: give scheme://host[:port] (http or https, lower case, no path or trailing slash), or scheme://host:* for any port, comma-separated`,
      });
    }
  }
  return entries;
}

/** PostgreSQL URLs, comma-separated; each must be a postgres:// URL, and none may repeat. */
function parseReplicaUrls(value: string | undefined, context: z.RefinementCtx): string[] {
  if (value === undefined || value.trim() === '') return [];
  const entries = value.split(',').map((entry) => entry.trim());
  entries.forEach((entry, index) => {
    if (!/^postgres(ql)?:\/\/[^\s]+$/.test(entry)) {
      context.addIssue({ code: 'custom', message: `entry ${index + 1} is not a postgres:// or postgresql:// URL (give the replicas' URLs, comma-separated)` });
    } else if (entries.indexOf(entry) !== index) {
      context.addIssue({ code: 'custom', message: `entry ${index + 1} repeats entry ${entries.indexOf(entry) + 1}` });
    }
  });
  return entries;
}

function isCronExpression(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  return fields.length === 5 && fields.every((field) => /^[\d*,/-]+$/.test(field));
}

export type Config = Readonly<
  Omit<
    z.infer<typeof environmentSchema>,
    'ALLOW_INTROSPECTION' | 'GRAPHQL_IDE' | 'MESSAGE_DISPATCH' | 'SEED_DEMO_DATA' | 'CORS_ORIGINS' | 'TRUSTED_DOCUMENTS'
  > & {
    CORS_ORIGINS: readonly string[];
    TRUSTED_DOCUMENTS: 'only' | 'allow';
    ALLOW_INTROSPECTION: boolean;
    GRAPHQL_IDE: boolean;
    MESSAGE_DISPATCH: boolean;
    SEED_DEMO_DATA: boolean;
  }
>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function parseConfig(environment: Record<string, string | undefined>): Config {
  const result = environmentSchema.safeParse(environment);
  if (!result.success) {
    throw new ConfigError(result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`));
  }
  const development = result.data.NODE_ENV !== 'production';
  return Object.freeze({
    ...result.data,
    ALLOW_INTROSPECTION: result.data.ALLOW_INTROSPECTION ?? development,
    GRAPHQL_IDE: result.data.GRAPHQL_IDE ?? development,
    TRUSTED_DOCUMENTS: result.data.TRUSTED_DOCUMENTS ?? (development ? 'allow' : 'only'),
    SEED_DEMO_DATA: result.data.SEED_DEMO_DATA ?? result.data.NODE_ENV === 'development',
    CORS_ORIGINS: Object.freeze(result.data.CORS_ORIGINS ?? (development ? ['http://localhost:*'] : [])),
    MESSAGE_DISPATCH: (result.data.MESSAGE_DISPATCH ?? (result.data.NODE_ENV === 'test' ? 'off' : 'on')) === 'on',
  });
}

/** Reads process.env once; on bad values prints each problem and exits with code 2. */
export function loadConfig(): Config {
  try {
    return parseConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
}

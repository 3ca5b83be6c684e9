// The one place that reads process.env (SPEC §10): parsed once, every problem named, frozen.
import { z } from 'zod';
import { secretWeakness } from './secret-strength.js';

const booleanFlag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value.trim() === '' ? undefined : value));

const environmentSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('0.0.0.0'),
    DATABASE_URL: optionalText.pipe(
      z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL').optional(),
    ),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
    // Every statement is bounded (PostgreSQL's statement_timeout, and the driver's own read timeout for a
    // server that does not answer at all), and so is opening a connection: a frozen database answers
    // SERVICE_UNAVAILABLE instead of holding requests for ever.
    DATABASE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(100, 'must be at least 100 (milliseconds)').max(600_000, 'must be at most 600000 (10 minutes)').default(5000),
    DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100, 'must be at least 100 (milliseconds)').max(60_000, 'must be at most 60000').default(3000),
    DATA_DIR: z.string().min(1).default('.data'),
    REDIS_URL: optionalText.pipe(z.string().regex(/^rediss?:\/\//, 'must be a redis:// URL').optional()),
    // A Redis command (and a connection attempt) that gets no answer fails after this long.
    REDIS_COMMAND_TIMEOUT_MS: z.coerce.number().int().min(10, 'must be at least 10 (milliseconds)').max(60_000, 'must be at most 60000').default(500),
    REDIS_KEY_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/, 'letters, digits, _ : . - only').default('bff:'),
    JWT_SECRET: optionalText,
    JWT_PRIVATE_KEY: optionalText,
    JWT_PUBLIC_KEY: optionalText,
    JWT_ISSUER: z.string().min(1).default('dairy-bff'),
    JWT_AUDIENCE: z.string().min(1).default('dairy-apps'),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    MESSAGE_CHANNEL: z.enum(['log', 'webhook']).default('log'),
    MESSAGE_WEBHOOK_URL: optionalText.pipe(z.url().optional()),
    MESSAGE_LOG_FILE: optionalText,
    MESSAGE_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(8),
    MESSAGE_POLL_MS: z.coerce.number().int().min(10).max(600_000).default(1000),
    // The outbox dispatcher loop; unset = on, except in tests, which run the dispatcher by hand.
    MESSAGE_DISPATCH: z.enum(['on', 'off']).optional(),
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
  })
  .superRefine((environment, context) => {
    const production = environment.NODE_ENV === 'production';
    if (environment.NODE_ENV !== 'test' && environment.BCRYPT_COST < 10) {
      context.addIssue({ code: 'custom', path: ['BCRYPT_COST'], message: 'must be at least 10 outside tests' });
    }
    for (const name of ['JWT_SECRET', 'METRICS_TOKEN'] as const) {
      const secret = environment[name];
      const weakness = secret === undefined ? undefined : secretWeakness(secret);
      if (weakness) context.addIssue({ code: 'custom', path: [name], message: weakness });
    }
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
    if (environment.MESSAGE_CHANNEL === 'webhook' && environment.MESSAGE_WEBHOOK_URL === undefined) {
      context.addIssue({
        code: 'custom',
        path: ['MESSAGE_WEBHOOK_URL'],
        message: 'is required when MESSAGE_CHANNEL=webhook',
      });
    }
    if (environment.SWEEP_SCHEDULE !== 'off' && !isCronExpression(environment.SWEEP_SCHEDULE)) {
      context.addIssue({
        code: 'custom',
        path: ['SWEEP_SCHEDULE'],
        message: 'must be a five-field cron expression or "off"',
      });
    }
  });

/** Exact origins, comma-separated (`https://app.example.in`); a port of `*` admits any port of that host. */
function parseCorsOrigins(value: string | undefined, context: z.RefinementCtx): string[] | undefined {
  if (value === undefined) return undefined;
  const entries = value.split(',').map((entry) => entry.trim()).filter((entry) => entry.length > 0);
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

function isCronExpression(value: string): boolean {
  const fields = value.trim().split(/\s+/);
  return fields.length === 5 && fields.every((field) => /^[\d*,/-]+$/.test(field));
}

export type Config = Readonly<
  Omit<z.infer<typeof environmentSchema>, 'ALLOW_INTROSPECTION' | 'GRAPHQL_IDE' | 'MESSAGE_DISPATCH' | 'SEED_DEMO_DATA' | 'CORS_ORIGINS'> & {
    CORS_ORIGINS: readonly string[];
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
    throw new ConfigError(
      result.error.issues.map((issue) => `${issue.path.join('.') || 'environment'}: ${issue.message}`),
    );
  }
  const development = result.data.NODE_ENV !== 'production';
  return Object.freeze({
    ...result.data,
    ALLOW_INTROSPECTION: result.data.ALLOW_INTROSPECTION ?? development,
    GRAPHQL_IDE: result.data.GRAPHQL_IDE ?? development,
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

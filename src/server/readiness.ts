// /readyz: the database answers and every migration in prisma/migrations is applied, and Redis (when
// REDIS_URL is set) answers. Each check is bounded, so a frozen database or Redis answers 503 within a
// second instead of holding the probe. Read replicas are reported but do not count.
import { readdir } from 'node:fs/promises';
import type { Redis } from 'ioredis';
import type { DatabaseHandle } from '../db/client.js';
import type { ReplicaStatus } from '../db/replicas.js';
import { MIGRATIONS_DIR } from '../db/schema-engine.js';

const READINESS_TIMEOUT_MS = 800;

let localMigrations: Promise<string[]> | undefined;

interface Readiness {
  ready: boolean;
  database: boolean;
  pendingMigrations: number;
  /** Present when the counters live in Redis. */
  redis?: boolean;
  /**
   * Present with read replicas, from their last probe. Reported, never failing readiness: reads of a
   * replica that is down or lagging go to the primary.
   */
  replicas?: ReplicaStatus[];
}

function withinDeadline<T>(work: Promise<T>, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), READINESS_TIMEOUT_MS);
  });
  return Promise.race([work.catch(() => fallback), deadline]).finally(() => clearTimeout(timer));
}

async function pendingMigrations(database: DatabaseHandle): Promise<number> {
  localMigrations ??= readdir(MIGRATIONS_DIR, { withFileTypes: true }).then((entries) =>
    entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
  );
  const applied = await database.prisma.$queryRaw<{ migration_name: string }[]>`
    SELECT "migration_name" FROM "_prisma_migrations" WHERE "finished_at" IS NOT NULL AND "rolled_back_at" IS NULL`;
  const appliedNames = new Set(applied.map((row) => row.migration_name));
  return (await localMigrations).filter((name) => !appliedNames.has(name)).length;
}

export async function readiness(database: DatabaseHandle, redis: Redis | null = null): Promise<Readiness> {
  const [pending, redisUp] = await Promise.all([
    withinDeadline(pendingMigrations(database), -1),
    redis
      ? withinDeadline(redis.status === 'ready' ? redis.ping().then((answer) => answer === 'PONG') : Promise.resolve(false), false)
      : Promise.resolve(undefined),
  ]);
  const databaseUp = pending >= 0;
  const answer: Readiness = { ready: pending === 0 && redisUp !== false, database: databaseUp, pendingMigrations: pending };
  if (redisUp !== undefined) answer.redis = redisUp;
  if (database.replicas) answer.replicas = database.replicas.status();
  return answer;
}

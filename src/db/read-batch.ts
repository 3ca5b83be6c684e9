// One statement for each wave of a request's reads. The resolvers of one level of a document ask their
// DataLoaders at once, and each loader sends its batch on the next tick; the reads those batches send
// through a ReadBatch before the event loop turns (setImmediate) go to the database as one statement, each
// read a JSON array in a column of its own. `me { customer { orders subscriptions deliveryBoy }
// deliveryBoy { earnings unpaidBalance lastPayout } }` is then the session check and one statement, not
// seven. Rows arrive as JSON: timestamps as ISO strings (json-rows.ts revives them), integers as numbers.
//
// A wave is the reads of one unit of work (its statement tally: a request) on one client, whichever
// repository sends them, and never mixes requests: each statement is counted to, and routed for (read
// replicas pin a request's reads after its writes), the request that asked.
import { Prisma } from '../generated/prisma/client.js';
import type { DatabaseClient } from './client.js';
import { reviveDates } from './json-rows.js';
import { currentStatementTally, type StatementTally } from './statement-counter.js';

interface PendingRead {
  query: Prisma.Sql;
  resolve(rows: unknown[]): void;
  reject(error: unknown): void;
}

const waves = new WeakMap<DatabaseClient, Map<StatementTally | undefined, PendingRead[]>>();

export class ReadBatch {
  constructor(private readonly db: DatabaseClient) {}

  /**
   * The rows of `query` (a SELECT), as JSON objects with their DateTime columns `dates` turned back into
   * Date values, read with the other reads of this wave.
   */
  async rows<T extends object>(query: Prisma.Sql, dates: readonly (keyof T)[] = []): Promise<T[]> {
    const rows = await this.read<T>(query);
    if (dates.length > 0) for (const row of rows) reviveDates(row, dates);
    return rows;
  }

  private read<T>(query: Prisma.Sql): Promise<T[]> {
    return new Promise<unknown[]>((resolve, reject) => {
      const unit = currentStatementTally();
      let byUnit = waves.get(this.db);
      if (!byUnit) waves.set(this.db, (byUnit = new Map<StatementTally | undefined, PendingRead[]>()));
      let wave = byUnit.get(unit);
      if (!wave) {
        const reads: PendingRead[] = [];
        byUnit.set(unit, reads);
        setImmediate(() => {
          byUnit.delete(unit);
          void this.send(reads);
        });
        wave = reads;
      }
      wave.push({ query, resolve, reject });
    }) as Promise<T[]>;
  }

  private async send(reads: PendingRead[]): Promise<void> {
    const columns = reads.map(
      (read, index) => Prisma.sql`(SELECT COALESCE(json_agg(q), '[]'::json) FROM (${read.query}) AS q) AS ${Prisma.raw(`"r${index}"`)}`,
    );
    try {
      const [row] = await this.db.$queryRaw<Record<string, unknown[]>[]>`SELECT ${Prisma.join(columns)}`;
      reads.forEach((read, index) => read.resolve(row[`r${index}`]));
    } catch (error) {
      for (const read of reads) read.reject(error);
    }
  }
}

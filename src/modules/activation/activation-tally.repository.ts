// Folding the activation tally's pending changes into its running totals. The triggers of the
// activation_tally migration only ever append to ActivationTallyChange, so writers never wait on one
// another for a shared total; readers add both tables, so folding changes speed and nothing else. Folding
// takes the changes it deletes, and a concurrent fold waits for them and then skips them: no change is
// counted twice or lost. Totals are upserted in key order, so two folds cannot deadlock.
import type { DatabaseClient } from '../../db/client.js';
import { withoutPinningReads } from '../../db/replicas.js';

export class ActivationTallyRepository {
  constructor(private readonly db: DatabaseClient) {}

  /** Moves every committed change into the totals; returns how many changes it folded. */
  async compact(): Promise<number> {
    // The dashboard folds before it reads, from a replica when there is one: the fold changes nothing it reads.
    const [result] = await withoutPinningReads(
      () => this.db.$queryRaw<{ folded: number }[]>`
      WITH "folded" AS (
        DELETE FROM "ActivationTallyChange"
        RETURNING "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise"
      ), "summed" AS (
        SELECT "signupDay", "status", "ordered", "firstDeliveryDay", sum("customers")::int AS "customers",
          sum("revenuePaise")::bigint AS "revenuePaise", count(*)::int AS "changes"
        FROM "folded" GROUP BY 1, 2, 3, 4
      ), "upserted" AS (
        INSERT INTO "ActivationTally" AS tally ("signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise")
        SELECT "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise" FROM "summed"
        ORDER BY 1, 2, 3, 4
        ON CONFLICT ("signupDay", "status", "ordered", "firstDeliveryDay") DO UPDATE
          SET "customers" = tally."customers" + excluded."customers", "revenuePaise" = tally."revenuePaise" + excluded."revenuePaise"
        RETURNING 1
      )
      SELECT COALESCE((SELECT sum("changes") FROM "summed"), 0)::int AS "folded", (SELECT count(*) FROM "upserted") AS "keys"`,
    );
    return Number(result?.folded ?? 0);
  }

  /** Drops totals that have come back to nothing (every customer of that key moved on). */
  async prune(): Promise<number> {
    return this.db.$executeRaw`DELETE FROM "ActivationTally" WHERE "customers" = 0 AND "revenuePaise" = 0`;
  }
}

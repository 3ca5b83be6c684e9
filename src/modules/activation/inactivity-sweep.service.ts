// The inactivity sweep (SPEC §4), run by the schedule and on demand by admins. It is idempotent (a second
// run finds nobody to move), and a PostgreSQL advisory lock held for the sweep's transaction lets only one
// server instance sweep at a time: the others find the lock taken and step aside.
import { recordAudit } from '../audit/index.js';
import type { Database } from '../../db/client.js';
import type { Viewer } from '../../auth/viewer.js';
import type { Logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput, conflict } from '../../shared/errors.js';
import { ActivationTallyRepository } from './activation-tally.repository.js';
import { CHURN_AFTER_MS, markInactiveBatch, trySweepLock } from './inactivity-sweep.repository.js';

const SWEEP_LOCK = 'activation:inactivity-sweep';
const BATCH_SIZE = 2_000;
/** A first sweep over a large imported base moves many customers: give its transaction room. */
const SWEEP_TIMEOUT_MS = 15 * 60 * 1000;

export interface SweepResult {
  asOf: Date;
  markedInactive: number;
}

export class InactivitySweep {
  private readonly tally: ActivationTallyRepository;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {
    this.tally = new ActivationTallyRepository(db);
  }

  /** Runs the sweep as of `asOf`; null when another instance holds the sweep lock. */
  async tryRun(asOf: Date): Promise<SweepResult | null> {
    const cutoff = new Date(asOf.getTime() - CHURN_AFTER_MS);
    const markedInactive = await this.db.$transaction(
      async (tx) => {
        if (!(await trySweepLock(tx, SWEEP_LOCK))) return null;
        const now = this.clock.now();
        let total = 0;
        for (;;) {
          const moved = await markInactiveBatch(tx, cutoff, now, BATCH_SIZE);
          total += moved;
          if (moved < BATCH_SIZE) return total;
        }
      },
      { timeout: SWEEP_TIMEOUT_MS, maxWait: 30_000 },
    );
    if (markedInactive === null) return null;
    this.log.info({ asOf, markedInactive }, 'inactivity sweep finished');
    await this.tidyTally();
    return { asOf, markedInactive };
  }

  /**
   * The admin's on-demand sweep; `asOf` defaults to now and may not lie in the future. Audited as one
   * entry: it changes many customers, no one user's data alone.
   */
  async runOnDemand(viewer: Viewer, asOfInput: Date | null | undefined): Promise<SweepResult> {
    const now = this.clock.now();
    const asOf = asOfInput ?? now;
    if (asOf.getTime() > now.getTime()) throw badUserInput('asOf', 'cannot be in the future');
    const result = await this.tryRun(asOf);
    if (!result) throw conflict('an inactivity sweep is already running: try again in a minute');
    await recordAudit(this.db, {
      actorId: viewer.userId,
      targetUserId: null,
      action: 'activation.sweep',
      subject: { type: 'InactivitySweep', id: result.asOf.toISOString() },
      before: null,
      after: { asOf: result.asOf.toISOString(), markedInactive: result.markedInactive },
      at: now,
    });
    return result;
  }

  /** The daily moment to fold the dashboard tally's changes and drop its empty totals. */
  private async tidyTally(): Promise<void> {
    try {
      const folded = await this.tally.compact();
      const pruned = await this.tally.prune();
      this.log.info({ folded, pruned }, 'activation tally tidied');
    } catch (error) {
      // The sweep itself has committed; the dashboard stays right without this, only slower.
      this.log.warn({ err: error }, 'activation tally could not be tidied');
    }
  }
}

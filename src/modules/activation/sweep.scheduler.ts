// Runs the inactivity sweep on SWEEP_SCHEDULE, a cron expression read in IST. A run missed while the
// server was down is not caught up at start-up (SPEC §10); the next scheduled time is simply awaited.
import { Cron } from 'croner';
import type { Logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/clock.js';
import type { InactivitySweep } from './inactivity-sweep.service.js';

/** setTimeout holds at most about 24.8 days; longer waits are taken in steps. */
const LONGEST_TIMER_MS = 2 ** 31 - 1;

export function nextSweepTime(expression: string, after: Date): Date | null {
  return new Cron(expression, { timezone: 'Asia/Kolkata', paused: true }).nextRun(after);
}

export class SweepScheduler {
  private timer: NodeJS.Timeout | null = null;
  private inFlight: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    private readonly expression: string,
    private readonly sweep: InactivitySweep,
    private readonly clock: Clock,
    private readonly log: Logger,
    /** Other nightly housekeeping (expired idempotency keys), run after the sweep whether or not it ran here. */
    private readonly housekeeping: () => Promise<unknown> = async () => undefined,
  ) {}

  start(): void {
    this.stopped = false;
    this.scheduleAfter(this.clock.now());
  }

  private scheduleAfter(after: Date): void {
    if (this.stopped) return;
    const next = nextSweepTime(this.expression, after);
    if (!next) return;
    const wait = () => {
      if (this.stopped) return;
      const remaining = next.getTime() - this.clock.now().getTime();
      if (remaining > 0) {
        this.timer = setTimeout(wait, Math.min(remaining, LONGEST_TIMER_MS));
        this.timer.unref();
        return;
      }
      this.inFlight = this.runOnce(next).finally(() => {
        this.inFlight = null;
        this.scheduleAfter(next);
      });
    };
    wait();
  }

  /** One scheduled run; a run skipped because another instance holds the lock is not an error. */
  async runOnce(asOf: Date): Promise<void> {
    try {
      const result = await this.sweep.tryRun(asOf);
      if (!result) this.log.info({ asOf }, 'inactivity sweep skipped: another instance is running it');
    } catch (error) {
      this.log.error({ err: error }, 'inactivity sweep failed');
    }
    try {
      await this.housekeeping();
    } catch (error) {
      this.log.error({ err: error }, 'nightly housekeeping failed');
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.inFlight;
  }
}

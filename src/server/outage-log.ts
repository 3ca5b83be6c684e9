// One log line per dependency every few seconds during an outage, instead of a stack per request: the first
// refusal is logged at once, later ones are counted and the count goes out with the next line.
import type { Clock } from '../shared/clock.js';
import type { Logger } from './logger.js';

export const OUTAGE_LOG_INTERVAL_MS = 5_000;

interface Entry {
  loggedAt: number;
  suppressed: number;
}

export class OutageLog {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly log: Logger,
    private readonly clock: Clock,
    private readonly intervalMs = OUTAGE_LOG_INTERVAL_MS,
  ) {}

  /** `key` names what failed (`database`, `redis`, `redis-connection`); `reason` is a short text, not a stack. */
  record(key: string, reason: string, message = 'dependency unavailable: requests refused'): void {
    const now = this.clock.now().getTime();
    const entry = this.entries.get(key);
    if (entry && now - entry.loggedAt < this.intervalMs) {
      entry.suppressed += 1;
      return;
    }
    this.log.warn({ dependency: key, reason, suppressedSinceLastLine: entry?.suppressed ?? 0 }, message);
    this.entries.set(key, { loggedAt: now, suppressed: 0 });
  }
}

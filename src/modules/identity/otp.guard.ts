// The OTP pumping guard (docs/messages.md): besides the per-phone limits, at most OTP_PREFIX_LIMIT codes
// per number prefix (the first seven digits of the national number: operator and circle, where pumping
// rings walk through numbers) in each fixed window of OTP_PREFIX_WINDOW_SECONDS, and at most
// OTP_DAILY_LIMIT codes for the whole service per IST day. Both are budgets in the shared counter store,
// so every instance spends from the same ones. A refusal answers RATE_LIMITED like a per-phone limit: the
// wait it names is capped at an hour, as theirs is, so a caller cannot tell which limit it met. The log
// names the prefix, never the number.
import type { Logger } from '../../shared/logger.js';
import { IST_OFFSET_MS } from '../../shared/time.js';
import { rateLimited } from '../../shared/errors.js';
import type { AttemptCounters, BudgetWindow } from './attempt-counters.js';

export type OtpGuardName = 'prefix' | 'daily';

export interface OtpGuardLimits {
  prefixLimit: number;
  prefixWindowSeconds: number;
  dailyLimit: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_RETRY_AFTER_SECONDS = 60 * 60;

/** The first seven digits of the national number of a normalised `+91…` phone. */
export function numberPrefix(phone: string): string {
  return phone.replace(/^\+91/, '').slice(0, 7);
}

export function fixedWindow(now: Date, lengthMs: number, offsetMs = 0): BudgetWindow {
  const start = Math.floor((now.getTime() + offsetMs) / lengthMs) * lengthMs - offsetMs;
  return { start: new Date(start), end: new Date(start + lengthMs) };
}

export class OtpPumpingGuard {
  constructor(
    private readonly counters: AttemptCounters,
    private readonly limits: OtpGuardLimits,
    private readonly log: Logger,
    private readonly onRefusal: (guard: OtpGuardName) => void = () => {},
  ) {}

  /** Spends from the prefix budget, then the day's; throws RATE_LIMITED when either is used up. */
  async admit(phone: string, now: Date): Promise<void> {
    const prefix = numberPrefix(phone);
    const prefixWindow = fixedWindow(now, this.limits.prefixWindowSeconds * 1000);
    if (!(await this.counters.spend(`otp-prefix:${prefix}`, this.limits.prefixLimit, prefixWindow, now))) {
      this.refuse('prefix', prefixWindow, now, { prefix });
    }
    const day = fixedWindow(now, DAY_MS, IST_OFFSET_MS);
    if (!(await this.counters.spend('otp-daily', this.limits.dailyLimit, day, now))) this.refuse('daily', day, now, {});
  }

  private refuse(guard: OtpGuardName, window: BudgetWindow, now: Date, detail: Record<string, string>): never {
    this.onRefusal(guard);
    this.log.warn({ guard, ...detail, windowEnds: window.end.toISOString() }, 'OTP request refused by the pumping guard');
    throw rateLimited(Math.min((window.end.getTime() - now.getTime()) / 1000, MAX_RETRY_AFTER_SECONDS));
  }
}

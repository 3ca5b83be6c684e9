// How a signup cohort [signupFrom, signupTo) splits into whole IST days, which the running tally answers,
// and at most two partial days at its ends, which are read customer by customer. The 30-day retention
// cutoff splits the same way: first-delivery days before the cutoff's own day come from the tally, that
// day is read customer by customer. Pure, so the edges are unit-tested without a database.
import { DAY_MS, IST_OFFSET_MS, istDateString } from '../../shared/time.js';

export interface CohortFilter {
  /** Inclusive lower bound on signupAt. */
  signupFrom: Date | null;
  /** Exclusive upper bound on signupAt. */
  signupTo: Date | null;
}

/** A half-open range of instants. */
export interface InstantRange {
  from: Date;
  to: Date;
}

interface CohortDays {
  /**
   * The whole IST days of the cohort, as instants at IST midnight: [from, to), either end open when null.
   * `empty` when the cohort holds no whole day.
   */
  wholeDays: { from: Date | null; to: Date | null } | 'empty';
  /** The parts of the cohort outside its whole days (zero, one or two ranges). */
  partialDays: InstantRange[];
}

export interface RetentionCutoff {
  /** Customers first delivered to at or before this instant count in the retention base. */
  cutoff: Date;
  /** YYYY-MM-DD of the IST day holding the cutoff: tally days before it count whole. */
  cutoffDay: string;
  /** 00:00 IST of that day: from here to the cutoff, customers are counted one by one. */
  cutoffDayStart: Date;
}

function startOfIstDayOf(instant: Date): Date {
  const shifted = instant.getTime() + IST_OFFSET_MS;
  return new Date(shifted - (((shifted % DAY_MS) + DAY_MS) % DAY_MS) - IST_OFFSET_MS);
}

function isIstMidnight(instant: Date): boolean {
  return startOfIstDayOf(instant).getTime() === instant.getTime();
}

/** The first IST midnight at or after `instant`. */
function ceilToIstDay(instant: Date): Date {
  return isIstMidnight(instant) ? instant : new Date(startOfIstDayOf(instant).getTime() + DAY_MS);
}

export function splitCohort(filter: CohortFilter): CohortDays {
  const { signupFrom, signupTo } = filter;
  const from = signupFrom ? ceilToIstDay(signupFrom) : null;
  const to = signupTo ? startOfIstDayOf(signupTo) : null;
  if (from && to && from.getTime() >= to.getTime()) {
    // No whole day: the cohort lies inside one day, or spans a single midnight.
    return { wholeDays: 'empty', partialDays: signupFrom && signupTo ? [{ from: signupFrom, to: signupTo }] : [] };
  }
  const partialDays: InstantRange[] = [];
  if (signupFrom && from && from.getTime() > signupFrom.getTime()) partialDays.push({ from: signupFrom, to: from });
  if (signupTo && to && to.getTime() < signupTo.getTime()) partialDays.push({ from: to, to: signupTo });
  return { wholeDays: { from, to }, partialDays };
}

export function retentionCutoff(cutoff: Date): RetentionCutoff {
  return { cutoff, cutoffDay: istDateString(cutoff), cutoffDayStart: startOfIstDayOf(cutoff) };
}

import { describe, expect, it } from 'vitest';
import { retentionCutoff, splitCohort } from '../../src/modules/activation/dashboard.cohort.js';

const at = (iso: string) => new Date(iso);

describe('splitCohort', () => {
  it('takes every day whole when there is no bound', () => {
    expect(splitCohort({ signupFrom: null, signupTo: null })).toEqual({ wholeDays: { from: null, to: null }, partialDays: [] });
  });

  it('keeps bounds at IST midnight as whole days', () => {
    const from = at('2026-01-01T00:00:00+05:30');
    const to = at('2026-04-01T00:00:00+05:30');
    expect(splitCohort({ signupFrom: from, signupTo: to })).toEqual({ wholeDays: { from, to }, partialDays: [] });
  });

  it('reads the partial days at both ends customer by customer', () => {
    const from = at('2026-01-01T10:00:00+05:30');
    const to = at('2026-01-05T00:00:01+05:30');
    expect(splitCohort({ signupFrom: from, signupTo: to })).toEqual({
      wholeDays: { from: at('2026-01-02T00:00:00+05:30'), to: at('2026-01-05T00:00:00+05:30') },
      partialDays: [
        { from, to: at('2026-01-02T00:00:00+05:30') },
        { from: at('2026-01-05T00:00:00+05:30'), to },
      ],
    });
  });

  it('leaves one end open when only the other bound is given', () => {
    const to = at('2026-03-10T18:29:59.999Z'); // 23:59:59.999 IST on 10 March
    expect(splitCohort({ signupFrom: null, signupTo: to })).toEqual({
      wholeDays: { from: null, to: at('2026-03-10T00:00:00+05:30') },
      partialDays: [{ from: at('2026-03-10T00:00:00+05:30'), to }],
    });
    const from = at('2026-03-10T18:30:00.001Z');
    expect(splitCohort({ signupFrom: from, signupTo: null })).toEqual({
      wholeDays: { from: at('2026-03-12T00:00:00+05:30'), to: null },
      partialDays: [{ from, to: at('2026-03-12T00:00:00+05:30') }],
    });
  });

  it('reads a cohort without a whole day as one range, within a day or across one midnight', () => {
    const within = { signupFrom: at('2026-02-01T09:00:00+05:30'), signupTo: at('2026-02-01T17:00:00+05:30') };
    expect(splitCohort(within)).toEqual({ wholeDays: 'empty', partialDays: [{ from: within.signupFrom, to: within.signupTo }] });
    const across = { signupFrom: at('2026-02-01T09:00:00+05:30'), signupTo: at('2026-02-02T09:00:00+05:30') };
    expect(splitCohort(across)).toEqual({ wholeDays: 'empty', partialDays: [{ from: across.signupFrom, to: across.signupTo }] });
  });

  it('counts a single whole day when the bounds are one IST day apart at midnight', () => {
    const from = at('2026-02-01T00:00:00+05:30');
    const to = at('2026-02-02T00:00:00+05:30');
    expect(splitCohort({ signupFrom: from, signupTo: to })).toEqual({ wholeDays: { from, to }, partialDays: [] });
  });
});

describe('retentionCutoff', () => {
  it('names the IST day of the cutoff and its midnight', () => {
    expect(retentionCutoff(at('2026-05-16T20:00:00Z'))).toEqual({
      cutoff: at('2026-05-16T20:00:00Z'),
      cutoffDay: '2026-05-17',
      cutoffDayStart: at('2026-05-17T00:00:00+05:30'),
    });
    expect(retentionCutoff(at('2026-05-16T18:30:00Z')).cutoffDay).toBe('2026-05-17');
    expect(retentionCutoff(at('2026-05-16T18:29:59.999Z')).cutoffDay).toBe('2026-05-16');
  });
});

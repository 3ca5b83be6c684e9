import { describe, expect, it } from 'vitest';
import { addOrderFact, deriveActivation, emptyHistory, stateBeganAt } from '../../src/legacy/activation-derivation.js';

const asOf = new Date('2026-06-30T00:00:00Z');
const at = (iso: string) => new Date(iso);

function derive(facts: Array<{ placedAt: string; cancelled?: boolean; deliveredAt?: string }>, candidates: (Date | null)[] = []) {
  const history = emptyHistory();
  for (const fact of facts) {
    addOrderFact(
      history,
      { placedAt: at(fact.placedAt), cancelled: fact.cancelled ?? false, deliveredAt: fact.deliveredAt ? at(fact.deliveredAt) : null },
      asOf,
    );
  }
  return deriveActivation(history, candidates, asOf);
}

describe('activation derived from the legacy order history', () => {
  it('is NEW with no orders, and signs up at the earliest known date', () => {
    const result = derive([], [at('2025-05-01T00:00:00Z'), null, at('2025-04-01T00:00:00Z')]);
    expect(result).toMatchObject({ status: 'NEW', firstOrderAt: null, signupAt: at('2025-04-01T00:00:00Z'), signupAtIsFallback: false });
  });

  it('signs up at the as-of time when nothing is dated', () => {
    expect(derive([])).toMatchObject({ signupAt: asOf, signupAtIsFallback: true });
  });

  it('is ONBOARDED with recent orders but no delivery', () => {
    const result = derive([{ placedAt: '2026-06-10T00:00:00Z' }]);
    expect(result).toMatchObject({ status: 'ONBOARDED', firstOrderAt: at('2026-06-10T00:00:00Z'), onboardingCompleted: false, churnedAt: null });
    expect(result.signupAt).toEqual(at('2026-06-10T00:00:00Z'));
  });

  it('is ACTIVE after a delivery, with the first delivery time', () => {
    const result = derive([
      { placedAt: '2026-06-01T00:00:00Z', deliveredAt: '2026-06-02T01:00:00Z' },
      { placedAt: '2026-06-20T00:00:00Z', deliveredAt: '2026-06-21T01:00:00Z' },
    ]);
    expect(result).toMatchObject({
      status: 'ACTIVE',
      firstDeliveryAt: at('2026-06-02T01:00:00Z'),
      lastOrderAt: at('2026-06-20T00:00:00Z'),
      onboardingCompleted: true,
    });
    expect(stateBeganAt(result)).toEqual(at('2026-06-02T01:00:00Z'));
  });

  it('is INACTIVE when the last order is more than 30 days before the as-of time', () => {
    const result = derive([{ placedAt: '2026-05-01T00:00:00Z', deliveredAt: '2026-05-02T00:00:00Z' }]);
    expect(result).toMatchObject({ status: 'INACTIVE', churnedAt: at('2026-05-31T00:00:00Z'), onboardingCompleted: true });
    expect(derive([{ placedAt: '2026-05-31T00:00:00Z' }]).status).toBe('ONBOARDED');
    expect(derive([{ placedAt: '2026-05-30T23:59:59Z' }]).status).toBe('INACTIVE');
  });

  it('ignores cancelled orders and anything after the as-of time', () => {
    const result = derive([
      { placedAt: '2026-06-20T00:00:00Z', cancelled: true, deliveredAt: '2026-06-21T00:00:00Z' },
      { placedAt: '2026-07-05T00:00:00Z', deliveredAt: '2026-07-06T00:00:00Z' },
    ]);
    expect(result).toMatchObject({ status: 'NEW', firstOrderAt: null, firstDeliveryAt: null });
    const delivered = derive([{ placedAt: '2026-06-25T00:00:00Z', deliveredAt: '2026-07-01T00:00:00Z' }]);
    expect(delivered).toMatchObject({ status: 'ONBOARDED', firstDeliveryAt: null });
  });
});

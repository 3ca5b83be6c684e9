// The IDE's browser logic that needs no browser: the funnel panel's figures, and what the IDE's storage
// lets GraphiQL keep (the browser test checks the same in Chromium's real storage).
import { describe, expect, it } from 'vitest';
import { createLatestDashboard } from '../../src/server/ide/browser/dashboard.answer.js';
import { formatPercent, funnelFigures, MISSING } from '../../src/server/ide/browser/funnel.figures.js';
import { createIdeStorage, type PreferenceStore } from '../../src/server/ide/browser/storage.js';

/** localStorage's behaviour, over a Map (Node has no Web Storage). */
function mapStore(entries: Record<string, string> = {}): PreferenceStore & { entries: Map<string, string> } {
  const map = new Map(Object.entries(entries));
  return {
    entries: map,
    getItem: (key) => map.get(key) ?? null,
    setItem: (key, value) => void map.set(key, value),
    removeItem: (key) => void map.delete(key),
    key: (index) => [...map.keys()][index] ?? null,
    get length() {
      return map.size;
    },
  };
}

const money = (paise: number, formatted: string) => ({ paise, formatted });

describe('the funnel figures', () => {
  const dashboard = {
    asOf: '2026-06-15T06:30:00.000Z',
    totalCustomers: 123_456,
    new: 61_728,
    onboarded: 30_864,
    active: 20_576,
    inactive: 10_288,
    conversionFunnel: { signupToFirstOrder: 0.5, firstOrderToActive: 0.3333, activeRetention: null },
    revenueByStatus: { new: money(0, '₹0.00'), onboarded: money(5_050, '₹50.50'), active: money(12_345_650, '₹1,23,456.50'), inactive: money(100, '₹1.00') },
    bySignupMonth: [{ month: '2025-12', totalCustomers: 3, new: 1, onboarded: 1, active: 1, inactive: 0 }],
  };

  it('gives counts and shares the Indian way, rates as percentages and money in rupees', () => {
    const figures = funnelFigures(dashboard, { signupFrom: '2025-07-01T00:00:00+05:30', signupTo: null });
    expect(figures.asOf).toBe('15 Jun 2026, 12:00 IST');
    expect(figures.signupFrom).toBe('1 Jul 2025, 00:00 IST');
    expect(figures.signupTo).toBeNull();
    expect(figures.total).toBe('1,23,456');
    expect(figures.statuses.map((row) => [row.label, row.count, row.share])).toEqual([
      ['New', '61,728', '50%'],
      ['Onboarded', '30,864', '25%'],
      ['Active', '20,576', '16.67%'],
      ['Inactive', '10,288', '8.33%'],
    ]);
    expect(figures.rates.map((rate) => [rate.label, rate.value])).toEqual([
      ['Signup → first order', '50%'],
      ['First order → active', '33.33%'],
      ['Active retention', MISSING],
    ]);
    expect(figures.revenue.map((row) => row.value)).toEqual(['₹0.00', '₹50.50', '₹1,23,456.50', '₹1.00']);
    expect(figures.revenueTotal).toBe('₹1,23,508.00');
    expect(figures.months).toEqual([
      {
        month: '2025-12',
        label: 'Dec 2025',
        total: '3',
        statuses: [
          { key: 'new', label: 'New', count: '1', share: '33.33%', width: 1 / 3 },
          { key: 'onboarded', label: 'Onboarded', count: '1', share: '33.33%', width: 1 / 3 },
          { key: 'active', label: 'Active', count: '1', share: '33.33%', width: 1 / 3 },
          { key: 'inactive', label: 'Inactive', count: '0', share: '0%', width: 0 },
        ],
      },
    ]);
  });

  it('formats money from paise when the operation did not ask for `formatted`, and dashes what it did not select', () => {
    const figures = funnelFigures({ totalCustomers: 0, new: 0, revenueByStatus: { new: { paise: 12_345_650 } } });
    expect(figures.revenue.map((row) => row.value)).toEqual(['₹1,23,456.50', MISSING, MISSING, MISSING]);
    expect(figures.revenueTotal).toBe(MISSING);
    expect(figures.statuses.map((row) => [row.count, row.share])).toEqual([
      ['0', MISSING],
      [MISSING, MISSING],
      [MISSING, MISSING],
      [MISSING, MISSING],
    ]);
    expect(figures.asOf).toBe(MISSING);
    expect(figures.months).toBeNull();
    expect(formatPercent(1)).toBe('100%');
  });
});

describe('the latest dashboard answer', () => {
  it('keeps the last answer that selected the dashboard, or why it has none', () => {
    const latest = createLatestDashboard();
    let notified = 0;
    latest.subscribe(() => (notified += 1));
    latest.offer('{"signupFrom":"2026-01-01T00:00:00+05:30"}', { data: { activationDashboard: { totalCustomers: 4 } } });
    expect(latest.current()).toEqual({ kind: 'figures', dashboard: { totalCustomers: 4 }, variables: { signupFrom: '2026-01-01T00:00:00+05:30' } });
    latest.offer({}, { data: { me: { id: '1' } } });
    expect(latest.current().kind).toBe('figures');
    latest.offer({}, { data: null, errors: [{ message: 'Not allowed', path: ['activationDashboard'] }] });
    expect(latest.current()).toEqual({ kind: 'problem', message: 'Not allowed' });
    latest.forget();
    expect(latest.current()).toEqual({ kind: 'none' });
    expect(notified).toBe(3);
  });
});

describe('the IDE storage', () => {
  const TOKEN = 'Bearer eyJhbGciOiJIUzI1NiJ9.secret';

  it('sends only preferences to localStorage and removes what earlier versions left there', () => {
    const local = mapStore({
      'graphiql:queries': JSON.stringify({ queries: [{ query: '{ me { id } }', headers: `{"Authorization":"${TOKEN}"}` }] }),
      'graphiql:theme': 'dark',
      other: 'kept',
    });
    const storage = createIdeStorage(local);
    expect([...local.entries.keys()]).toEqual(['graphiql:theme', 'other']);
    storage.setItem('graphiql:editorFlex', '1.5');
    storage.setItem('graphiql:query', '{ me { id } }');
    storage.setItem('graphiql:variables', '{"phone":"+919876543210"}');
    storage.setItem('graphiql:headers', `{"Authorization":"${TOKEN}"}`);
    storage.setItem(
      'graphiql:tabState',
      JSON.stringify({ activeTabIndex: 0, tabs: [{ id: 'a', title: 'Me', query: '{ me { id } }', variables: null, headers: `{"Authorization":"${TOKEN}"}` }] }),
    );
    expect([...local.entries.entries()]).toEqual([
      ['graphiql:theme', 'dark'],
      ['other', 'kept'],
      ['graphiql:editorFlex', '1.5'],
    ]);
    // The session's part is readable until the session is forgotten; headers never were kept.
    expect(storage.getItem('graphiql:query')).toBe('{ me { id } }');
    expect(storage.getItem('graphiql:headers')).toBeNull();
    expect(JSON.parse(storage.getItem('graphiql:tabState')!).tabs[0]).toEqual({ id: 'a', title: 'Me', query: '{ me { id } }', variables: null });
    storage.forgetSession();
    expect(storage.getItem('graphiql:query')).toBeNull();
    expect(storage.getItem('graphiql:tabState')).toBeNull();
    expect(storage.getItem('graphiql:editorFlex')).toBe('1.5');
  });

  it('strips headers from history entries and clears preferences with "Clear storage"', () => {
    const local = mapStore();
    const storage = createIdeStorage(local);
    storage.setItem(
      'graphiql:queries',
      JSON.stringify({ queries: [{ query: '{ me { id } }', headers: `{"Authorization":"${TOKEN}"}`, operationName: 'Me' }] }),
    );
    expect(JSON.parse(storage.getItem('graphiql:queries')!)).toEqual({ queries: [{ query: '{ me { id } }', operationName: 'Me' }] });
    storage.setItem('graphiql:theme', 'light');
    expect(storage.length).toBe(2);
    storage.clear();
    expect(storage.length).toBe(0);
    expect(local.entries.size).toBe(0);
  });
});

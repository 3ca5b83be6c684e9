// The latest `activationDashboard` answer the IDE received, for the funnel panel: the fetcher offers every
// response; one that selected the dashboard replaces what the panel shows (figures, or why there are none).
// It lives in memory and is forgotten with the session that asked.
import type { DashboardAnswer, DashboardVariables } from './funnel.figures.js';

type LatestDashboard =
  | { readonly kind: 'none' }
  | { readonly kind: 'figures'; readonly dashboard: DashboardAnswer; readonly variables: DashboardVariables }
  | { readonly kind: 'problem'; readonly message: string };

interface Response {
  data?: Record<string, unknown> | null;
  errors?: readonly { message?: string; path?: readonly (string | number)[] }[];
}

const NONE: LatestDashboard = { kind: 'none' };

function variablesOf(value: unknown): DashboardVariables {
  if (typeof value === 'string') {
    try {
      return variablesOf(JSON.parse(value));
    } catch {
      return {};
    }
  }
  return value && typeof value === 'object' ? value : {};
}

export function createLatestDashboard() {
  let latest = NONE;
  const listeners = new Set<() => void>();
  const set = (next: LatestDashboard) => {
    latest = next;
    listeners.forEach((listener) => listener());
  };

  return {
    /** Looks at one response; the panel reads the field under its own name (an aliased one is not seen). */
    offer(variables: unknown, response: Response | null | undefined): void {
      const answer = response?.data?.activationDashboard;
      if (answer && typeof answer === 'object') {
        set({ kind: 'figures', dashboard: answer, variables: variablesOf(variables) });
        return;
      }
      const problem =
        response?.errors?.find((error) => error.path?.[0] === 'activationDashboard') ??
        (response?.data && 'activationDashboard' in response.data ? response.errors?.[0] : undefined);
      if (problem) set({ kind: 'problem', message: problem.message ?? 'no answer' });
    },
    forget(): void {
      set(NONE);
    },
    current: (): LatestDashboard => latest,
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

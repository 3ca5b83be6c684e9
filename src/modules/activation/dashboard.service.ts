// The activation dashboard (SPEC §5), for admins. Figures describe the customers' current state; `asOf`
// (default now) is the reference instant of the 30-day retention window.
import type { Clock } from '../../shared/clock.js';
import { badUserInput } from '../../shared/errors.js';
import { DAY_MS } from '../../shared/time.js';
import type { ActivationDashboard } from './activation.type.js';
import { buildDashboard } from './dashboard.figures.js';
import type { DashboardRepository } from './dashboard.repository.js';

const RETENTION_WINDOW_MS = 30 * DAY_MS;

export interface DashboardArguments {
  asOf?: Date | null;
  signupFrom?: Date | null;
  signupTo?: Date | null;
}

export class ActivationDashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly clock: Clock,
  ) {}

  async dashboard(args: DashboardArguments): Promise<ActivationDashboard> {
    const asOf = args.asOf ?? this.clock.now();
    const filter = { signupFrom: args.signupFrom ?? null, signupTo: args.signupTo ?? null };
    if (filter.signupFrom && filter.signupTo && filter.signupFrom.getTime() >= filter.signupTo.getTime()) {
      throw badUserInput('signupTo', 'must be after signupFrom');
    }
    const retentionCutoff = new Date(asOf.getTime() - RETENTION_WINDOW_MS);
    // Two independent statements, run side by side on separate connections when the pool has them.
    const [cohortRows, revenueRows] = await Promise.all([
      this.repository.cohortRows(filter, retentionCutoff),
      this.repository.revenueRows(filter),
    ]);
    return buildDashboard(asOf, cohortRows, revenueRows);
  }
}

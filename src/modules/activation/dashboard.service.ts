// The activation dashboard (SPEC §5), for admins. Figures describe the customers' current state; `asOf`
// (default now) is the reference instant of the 30-day retention window.
import type { Clock } from '../../shared/clock.js';
import { badUserInput } from '../../shared/errors.js';
import { DAY_MS } from '../../shared/time.js';
import type { ActivationTallyRepository } from './activation-tally.repository.js';
import type { ActivationDashboard } from './activation.type.js';
import { retentionCutoff } from './dashboard.cohort.js';
import { buildDashboard } from './dashboard.figures.js';
import type { DashboardRepository } from './dashboard.repository.js';

const RETENTION_WINDOW_MS = 30 * DAY_MS;

interface DashboardArguments {
  asOf?: Date | null;
  signupFrom?: Date | null;
  signupTo?: Date | null;
}

export class ActivationDashboardService {
  constructor(
    private readonly repository: DashboardRepository,
    private readonly tally: ActivationTallyRepository,
    private readonly clock: Clock,
  ) {}

  async dashboard(args: DashboardArguments): Promise<ActivationDashboard> {
    const asOf = args.asOf ?? this.clock.now();
    const filter = { signupFrom: args.signupFrom ?? null, signupTo: args.signupTo ?? null };
    if (filter.signupFrom && filter.signupTo && filter.signupFrom.getTime() >= filter.signupTo.getTime()) {
      throw badUserInput('signupTo', 'must be after signupFrom');
    }
    // Folding the pending changes first keeps the aggregate's input small; the figures are the same either way.
    await this.tally.compact();
    const { cohortRows, revenueRows } = await this.repository.figures(filter, retentionCutoff(new Date(asOf.getTime() - RETENTION_WINDOW_MS)));
    return buildDashboard(asOf, cohortRows, revenueRows);
  }
}

// The activation module: each customer's activation status and its history, the funnel dashboard and the
// inactivity sweep. It owns the activation and contact columns of Customer and writes them only through
// its repositories; the rest of the row is the customers module's.
import { defineModule, type ServicesOf, type LoadersOf } from '../module.js';
import { createActivationLoaders } from './activation.loaders.js';
import { ActivationRepository } from './activation.repository.js';
import { ActivationResolver } from './activation.resolver.js';
import { ActivationService } from './activation.service.js';
import { ActivationTallyRepository } from './activation-tally.repository.js';
import { CustomerActivationResolver } from './customer-activation.resolver.js';
import { DashboardRepository } from './dashboard.repository.js';
import { ActivationDashboardService } from './dashboard.service.js';
import { InactivitySweep } from './inactivity-sweep.service.js';

export const activationModule = defineModule({
  name: 'activation',
  tables: [
    'ActivationEvent',
    'ActivationTally',
    'ActivationTallyChange',
    'CustomerContact',
    ...['activationStatus', 'signupAt', 'firstOrderAt', 'firstDeliveryAt', 'lastOrderAt', 'churnedAt', 'onboardingCompleted'].map(
      (column) => `Customer.${column}`,
    ),
    ...['firstContactAt', 'firstCallAt', 'lastContactAt'].map((column) => `Customer.${column}`),
  ],
  resolvers: [ActivationResolver, CustomerActivationResolver],
  services: ({ db, clock, log }) => ({
    activation: new ActivationService(new ActivationRepository(db), clock),
    activationDashboard: new ActivationDashboardService(new DashboardRepository(db), new ActivationTallyRepository(db), clock),
    inactivitySweep: new InactivitySweep(db, clock, log),
  }),
  loaders: ({ db }) => createActivationLoaders(db),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof activationModule> {}
  interface Loaders extends LoadersOf<typeof activationModule> {}
}

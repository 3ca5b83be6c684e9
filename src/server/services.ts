// The application's services, created once at start-up and shared by every request.
import { createHash } from 'node:crypto';
import type { Config } from '../config/env.js';
import type { Database } from '../db/client.js';
import {
  AuthService,
  IdentityRepository,
  OtpService,
  SessionService,
  UserAdminService,
  type AccessTokens,
  type AttemptCounters,
  type PasswordHasher,
} from '../modules/identity/index.js';
import {
  ActivationDashboardService,
  ActivationRepository,
  ActivationService,
  ActivationTallyRepository,
  DashboardRepository,
  InactivitySweep,
} from '../modules/activation/index.js';
import { CatalogueService, PriceChangeRepository, PriceChangeService, ProductRepository } from '../modules/catalogue/index.js';
import { CustomerRepository, CustomerService } from '../modules/customers/index.js';
import { DeliveryRepository, DeliveryService } from '../modules/delivery/index.js';
import { OrderRepository, OrderService, SubscriptionRepository, SubscriptionService } from '../modules/orders/index.js';
import { SupplierPortalService } from '../modules/suppliers/index.js';
import { createMessageSender, MessageDispatcher, OutboxDispatchRepository } from '../modules/messages/index.js';
import { IdempotencyService } from '../modules/idempotency/index.js';
import type { Clock } from '../shared/clock.js';
import type { Logger } from './logger.js';

export interface ServiceDependencies {
  config: Config;
  db: Database;
  clock: Clock;
  log: Logger;
  tokens: AccessTokens;
  counters: AttemptCounters;
  hasher: PasswordHasher;
  /** Key material for OTP HMACs, derived from the token secret so one secret serves both. */
  otpSecret: string;
}

export function createServices(deps: ServiceDependencies) {
  const users = new IdentityRepository(deps.db);
  const sessions = new SessionService(deps.db, deps.counters);
  const auth = new AuthService({ db: deps.db, clock: deps.clock, tokens: deps.tokens, counters: deps.counters, hasher: deps.hasher, sessions, users, log: deps.log });
  const products = new ProductRepository(deps.db);
  return {
    catalogue: new CatalogueService(deps.clock, products),
    priceChanges: new PriceChangeService(deps.db, deps.clock, products, new PriceChangeRepository(deps.db)),
    customers: new CustomerService(deps.db, deps.clock, new CustomerRepository(deps.db)),
    orders: new OrderService(deps.db, deps.clock, new OrderRepository(deps.db), products),
    subscriptions: new SubscriptionService(deps.clock, new SubscriptionRepository(deps.db), products),
    deliveries: new DeliveryService(deps.db, deps.clock, new DeliveryRepository(deps.db)),
    supplierPortal: new SupplierPortalService(),
    sessions,
    auth,
    otp: new OtpService(deps.db, deps.clock, deps.otpSecret, auth, users),
    userAdmin: new UserAdminService(deps.db, deps.clock, users, deps.hasher, sessions, deps.counters),
    activation: new ActivationService(new ActivationRepository(deps.db), deps.clock),
    activationDashboard: new ActivationDashboardService(new DashboardRepository(deps.db), new ActivationTallyRepository(deps.db), deps.clock),
    inactivitySweep: new InactivitySweep(deps.db, deps.clock, deps.log),
    // Its HMAC key comes from the same secret material as the OTP key, under another label.
    idempotency: new IdempotencyService(deps.db, deps.clock, createHash('sha256').update(`idempotency:${deps.otpSecret}`).digest('hex')),
    messageDispatcher: new MessageDispatcher({
      repository: new OutboxDispatchRepository(deps.db),
      sender: createMessageSender(deps.config, deps.log),
      clock: deps.clock,
      log: deps.log,
      maxAttempts: deps.config.MESSAGE_MAX_ATTEMPTS,
      pollMs: deps.config.MESSAGE_POLL_MS,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

export function deriveOtpSecret(material: string): string {
  return createHash('sha256').update(`otp:${material}`).digest('hex');
}

// The application's services, created once at start-up and shared by every request.
import { createHash } from 'node:crypto';
import type { Config } from '../config/env.js';
import type { Database } from '../db/client.js';
import {
  AuthService,
  IdentityRepository,
  OtpPumpingGuard,
  OtpService,
  PasskeyService,
  relyingPartyOf,
  SecondFactorKeys,
  SecondFactorRepository,
  SecondFactorService,
  SessionService,
  type OtpGuardName,
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
import {
  createMessageSender,
  MessageDispatcher,
  MessageReceiptRepository,
  MessageReceiptService,
  OutboxDispatchRepository,
} from '../modules/messages/index.js';
import { IdempotencyService } from '../modules/idempotency/index.js';
import { AuditRepository, AuditService } from '../modules/audit/index.js';
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
  /** Counts the OTP requests the pumping guard refuses (the metrics). */
  onOtpGuardRefusal?: (guard: OtpGuardName) => void;
}

export function createServices(deps: ServiceDependencies) {
  const users = new IdentityRepository(deps.db);
  const sessions = new SessionService(deps.db, deps.counters, deps.config.MFA_REQUIRED_ROLES);
  const factors = new SecondFactorRepository(deps.db);
  const secondFactor = new SecondFactorService({
    db: deps.db,
    clock: deps.clock,
    tokens: deps.tokens,
    counters: deps.counters,
    users,
    factors,
    sessions,
    // Its keys come from the same secret material as the OTP key, under labels of their own (HKDF).
    keys: new SecondFactorKeys(deps.otpSecret),
    requiredRoles: deps.config.MFA_REQUIRED_ROLES,
    issuer: deps.config.WEBAUTHN_RP_NAME,
  });
  const auth = new AuthService({ db: deps.db, clock: deps.clock, tokens: deps.tokens, counters: deps.counters, hasher: deps.hasher, sessions, users, secondFactor, log: deps.log });
  const passkeys = new PasskeyService({ db: deps.db, clock: deps.clock, users, factors, sessions, secondFactor, relyingParty: relyingPartyOf(deps.config) });
  const products = new ProductRepository(deps.db);
  return {
    catalogue: new CatalogueService(deps.db, deps.clock, products),
    priceChanges: new PriceChangeService(deps.db, deps.clock, products, new PriceChangeRepository(deps.db)),
    customers: new CustomerService(deps.db, deps.clock, new CustomerRepository(deps.db)),
    orders: new OrderService(deps.db, deps.clock, new OrderRepository(deps.db), products),
    subscriptions: new SubscriptionService(deps.db, deps.clock, new SubscriptionRepository(deps.db), products),
    deliveries: new DeliveryService(deps.db, deps.clock, new DeliveryRepository(deps.db)),
    supplierPortal: new SupplierPortalService(),
    sessions,
    auth,
    otp: new OtpService(
      deps.db,
      deps.clock,
      deps.otpSecret,
      auth,
      users,
      new OtpPumpingGuard(
        deps.counters,
        { prefixLimit: deps.config.OTP_PREFIX_LIMIT, prefixWindowSeconds: deps.config.OTP_PREFIX_WINDOW_SECONDS, dailyLimit: deps.config.OTP_DAILY_LIMIT },
        deps.log,
        deps.onOtpGuardRefusal,
      ),
    ),
    secondFactor,
    passkeys,
    userAdmin: new UserAdminService(deps.db, deps.clock, users, deps.hasher, sessions, deps.counters),
    audit: new AuditService(new AuditRepository(deps.db)),
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
      whatsappFallbackMs: deps.config.MESSAGE_WHATSAPP_FALLBACK_SECONDS * 1000,
    }),
    messageReceipts: new MessageReceiptService(new MessageReceiptRepository(deps.db), deps.clock, deps.log, {
      webhookSecret: deps.config.MESSAGE_WEBHOOK_SECRET,
      whatsappAppSecret: deps.config.MESSAGE_WHATSAPP_APP_SECRET,
      whatsappVerifyToken: deps.config.MESSAGE_WHATSAPP_VERIFY_TOKEN,
    }),
  };
}

export type Services = ReturnType<typeof createServices>;

export function deriveOtpSecret(material: string): string {
  return createHash('sha256').update(`otp:${material}`).digest('hex');
}

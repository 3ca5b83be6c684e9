// The tabs the IDE opens with: the contract's `ActivationDashboard` and `Me` operations, word for word (a
// unit test compares them with contract/operations.graphql), each with the
// fragment it spreads so the tab runs on its own. The dashboard's variables come filled in with an example
// taken from the server's clock: the last twelve IST calendar months of signups, as of now.
import { IST_OFFSET_MS } from '../../shared/time.js';

export const MONEY_PARTS = 'fragment MoneyParts on Money { paise formatted }';

const ACTIVATION_DASHBOARD = `query ActivationDashboard($asOf: DateTime, $signupFrom: DateTime, $signupTo: DateTime) {
  activationDashboard(asOf: $asOf, signupFrom: $signupFrom, signupTo: $signupTo) {
    asOf
    totalCustomers new onboarded active inactive
    conversionFunnel { signupToFirstOrder firstOrderToActive activeRetention }
    revenueByStatus { new { ...MoneyParts } onboarded { ...MoneyParts } active { ...MoneyParts } inactive { ...MoneyParts } }
    bySignupMonth { month totalCustomers new onboarded active inactive }
  }
}`;

const ME = `query Me {
  me {
    id name email phone roles status createdAt
    customer {
      id name phone address area activationStatus signupAt firstOrderAt firstDeliveryAt lastOrderAt
      onboardingCompleted welcomeMessageSent
      deliveryBoy { id name }
      subscriptions(first: 20) {
        totalCount
        edges { node { id quantity pattern shift status product { id name unit price { ...MoneyParts } } } }
      }
      orders(first: 20) {
        totalCount
        pageInfo { hasNextPage endCursor }
        edges { cursor node { id status placedAt deliveredAt total { ...MoneyParts }
          items { quantity unitPrice { ...MoneyParts } lineTotal { ...MoneyParts } product { id name } } } }
      }
    }
    deliveryBoy {
      id status paymentFrequency ratePerDelivery { ...MoneyParts }
      today: earnings(period: TODAY) { period deliveries amount { ...MoneyParts } }
      week: earnings(period: WEEK) { period deliveries amount { ...MoneyParts } }
      month: earnings(period: MONTH) { period deliveries amount { ...MoneyParts } }
      allTime: earnings(period: ALL_TIME) { period deliveries amount { ...MoneyParts } }
      unpaidBalance { ...MoneyParts }
      lastPayout { amount { ...MoneyParts } paidAt }
    }
    supplier { id businessName commissionRateBps }
  }
}`;

interface IdeTab {
  readonly query: string;
  readonly variables?: string;
}

/** The contract operations the tabs hold, by name (the unit test reads this). */
export const IDE_OPERATIONS = { ActivationDashboard: ACTIVATION_DASHBOARD, Me: ME } as const;

const IST_SUFFIX = '+05:30';
const EXAMPLE_MONTHS = 12;

/** 00:00 IST on the first day of a month given as (year, month index), months beyond 11 or below 0 wrapping. */
function istMonthStart(year: number, monthIndex: number): string {
  return `${new Date(Date.UTC(year, monthIndex, 1)).toISOString().slice(0, 10)}T00:00:00${IST_SUFFIX}`;
}

/**
 * The dashboard tab's example variables at `now`: asOf is now (to the minute, in IST), the cohort the
 * customers who signed up in the current IST month and the eleven before it. Written in IST, as the
 * admins read dates.
 */
export function dashboardExampleVariables(now: Date): { asOf: string; signupFrom: string; signupTo: string } {
  const wallClock = new Date(now.getTime() + IST_OFFSET_MS);
  const year = wallClock.getUTCFullYear();
  const month = wallClock.getUTCMonth();
  return {
    asOf: `${wallClock.toISOString().slice(0, 16)}:00${IST_SUFFIX}`,
    signupFrom: istMonthStart(year, month - (EXAMPLE_MONTHS - 1)),
    signupTo: istMonthStart(year, month + 1),
  };
}

/** The tabs a page opened at `now` starts with. */
export function ideTabs(now: Date): readonly IdeTab[] {
  return [
    { query: `${ACTIVATION_DASHBOARD}\n\n${MONEY_PARTS}\n`, variables: JSON.stringify(dashboardExampleVariables(now), null, 2) },
    { query: `${ME}\n\n${MONEY_PARTS}\n` },
  ];
}

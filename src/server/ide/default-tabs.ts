// The tabs the IDE opens with: the contract's `ActivationDashboard` and `Me` operations, word for word (a
// unit test compares them with contract/operations.graphql), each with the
// fragment it spreads so the tab runs on its own.
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

export interface IdeTab {
  readonly query: string;
  readonly variables?: string;
}

/** The contract operations the tabs hold, by name (the unit test reads this). */
export const IDE_OPERATIONS = { ActivationDashboard: ACTIVATION_DASHBOARD, Me: ME } as const;

export const IDE_TABS: readonly IdeTab[] = [
  { query: `${ACTIVATION_DASHBOARD}\n\n${MONEY_PARTS}\n`, variables: '{}' },
  { query: `${ME}\n\n${MONEY_PARTS}\n` },
];

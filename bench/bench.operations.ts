// What each server under test is asked. This project gets the contract operations verbatim (read from
// the repository's contract/operations.graphql, with the fragments they use); PostGraphile gets the closest query
// its generated schema allows over the same tables; the raw baseline only needs the operation name.
import { contractOperation } from '../test/support/contract.js';

export { contractOperation };

export const LOGIN_OPERATION = contractOperation('Login');
export const ME_OPERATION = contractOperation('Me');
export const SUPPLIER_PORTAL_OPERATION = contractOperation('SupplierPortal');
export const MY_ROUTE_OPERATION = contractOperation('MyRoute');
export const DASHBOARD_OPERATION = contractOperation('ActivationDashboard');

/** PostGraphile: the same customer, facets, 20 subscriptions and 20 orders with their items. */
export const POSTGRAPHILE_ME = `query Me($userId: UUID!) { userByRowId(rowId: $userId) {
  rowId name email phone roles status createdAt
  customersByUserId(first: 1) { nodes {
    rowId name phone address area activationStatus signupAt firstOrderAt firstDeliveryAt lastOrderAt onboardingCompleted welcomeMessageSent
    deliveryBoyByDeliveryBoyId { rowId userByUserId { name } }
    customerSubscriptionsByCustomerId(first: 20, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { totalCount
      edges { node { rowId quantity pattern shift status productByProductId { rowId name unit pricePaise } } } }
    ordersByCustomerId(first: 20, orderBy: [PLACED_AT_DESC, ROW_ID_DESC]) { totalCount pageInfo { hasNextPage endCursor }
      edges { cursor node { rowId status placedAt deliveredAt totalPaise
        orderItemsByOrderId(orderBy: ROW_ID_ASC) { nodes { quantity unitPricePaise lineTotalPaise productByProductId { rowId name } } } } } } } }
  deliveryBoysByUserId(first: 1) { nodes { rowId status paymentFrequency ratePerDeliveryPaise } }
  suppliersByUserId(first: 1) { nodes { rowId businessName commissionRateBps } } } }`;

/**
 * PostGraphile has no "orders containing this supplier's lines": the closest is the supplier's lines with
 * their order (one line per order in the bench data, so 100 lines = 100 orders). It computes no earnings
 * (no aggregates without a plugin) and formats no money: it does less than the contract operation.
 */
export const POSTGRAPHILE_SUPPLIER_PORTAL = `query SupplierPortal($userId: UUID!, $first: Int!) { userByRowId(rowId: $userId) {
  suppliersByUserId(first: 1) { nodes { rowId businessName commissionRateBps
    productsBySupplierId(orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { nodes { rowId name active pricePaise } }
    orderItemsBySupplierId(first: $first, orderBy: ORDER_ID_DESC) { totalCount pageInfo { hasNextPage endCursor }
      nodes { quantity unitPricePaise lineTotalPaise productByProductId { rowId name }
        orderByOrderId { rowId placedAt status customerByCustomerId { name area } } } }
    priceChangeRequestsBySupplierId { nodes { rowId status requestedPricePaise productId } } } } } }`;

/**
 * PostGraphile, the delivery boy's `Me`: the same user and facets, and every delivery (time and rate) and
 * payout (amount and time) from which the four periods' earnings, the unpaid balance and the last payout are
 * made. It computes none of them (no aggregates without a plugin, no ranges in `condition`): it reads the
 * rows and leaves the sums to the client.
 */
export const POSTGRAPHILE_DELIVERY_BOY_ME = `query Me($userId: UUID!) { userByRowId(rowId: $userId) {
  rowId name email phone roles status createdAt
  customersByUserId(first: 1) { nodes { rowId } }
  deliveryBoysByUserId(first: 1) { nodes { rowId status paymentFrequency ratePerDeliveryPaise
    deliveriesByDeliveryBoyId(orderBy: [DELIVERED_AT_DESC, ROW_ID_DESC]) { totalCount nodes { deliveredAt ratePaise } }
    payoutsByDeliveryBoyId(orderBy: [PAID_AT_DESC, ROW_ID_DESC]) { nodes { amountPaise paidAt } } } }
  suppliersByUserId(first: 1) { nodes { rowId businessName commissionRateBps } } } }`;

/**
 * PostGraphile, `MyRoute`: the delivery boy's orders with today's delivery date (IST, passed in), in the
 * contract's order, with their customer and items. `condition` has no "not cancelled": the bench route has
 * no cancelled order, so the rows are the same.
 */
export const POSTGRAPHILE_MY_ROUTE = `query MyRoute($userId: UUID!, $today: Date!) { userByRowId(rowId: $userId) {
  deliveryBoysByUserId(first: 1) { nodes {
    ordersByDeliveryBoyId(condition: { deliveryDate: $today }, orderBy: [PLACED_AT_ASC, ROW_ID_ASC]) { nodes { rowId status
      customerByCustomerId { name phone address area }
      orderItemsByOrderId(orderBy: ROW_ID_ASC) { nodes { quantity productByProductId { name unit } } } } } } } } }`;

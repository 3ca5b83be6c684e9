// The orders module's public face: its descriptor, and for other modules the Order types, its repositories and the page helpers other connections reuse.
export { ordersModule } from './orders.module.js';
export { OrderRepository } from './order.repository.js';
export { Order, OrderConnection, OrderItem, OrderStatus } from './order.type.js';
export { createParentConnectionLoader, pageFromRows, type PageRequest, type PageWithCounts, type ParentPageRow } from './parent-connection.loader.js';
export { SubscriptionRepository } from './subscription.repository.js';
export { SubscriptionConnection } from './subscription.type.js';

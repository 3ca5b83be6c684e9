export { deliveryModule } from './delivery.module.js';
export { DeliveryBoy } from './delivery-boy.type.js';
export { DeliveryBoyFieldResolver, PayoutFieldResolver } from './delivery-boy.resolver.js';
export { createDeliveryLoaders } from './delivery.loaders.js';
export { DeliveryRepository } from './delivery.repository.js';
export { DeliveryResolver } from './delivery.resolver.js';
export { DeliveryService } from './delivery.service.js';
export { Earnings, Payout, Period } from './earnings.type.js';

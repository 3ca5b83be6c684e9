// The delivery module's public face: its descriptor, and for other modules the DeliveryBoy type, earnings periods and its repository.
export { deliveryModule } from './delivery.module.js';
export { DeliveryBoy } from './delivery-boy.type.js';
export { DELIVERY_BOY_DATES, DeliveryRepository } from './delivery.repository.js';
export { Period } from './earnings.type.js';

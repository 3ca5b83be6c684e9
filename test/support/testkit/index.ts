// The testkit: factories that make unique data through the public API (the contract's operations over HTTP)
// or through the owning module's repositories and services, so tests do not depend on each other.
export { STRONG_PASSWORD, uniqueEmail, uniquePhone } from './unique.js';
export { createSignedInUser, makeActor, tokenFor, type Actor } from './identity.js';
export { ASSIGN_DELIVERY_BOY, assign, CREATE_PRODUCT, createProduct, istToday, MARK_DELIVERED, ok, PLACE_ORDER, placeOrder, setIst } from './commerce.js';
export {
  createCustomer,
  createCustomerInState,
  daysBefore,
  deliverOrder,
  insertOrder,
  placeOrderAt,
  type ActivationStatusName,
  type CustomerFixture,
} from './activation.js';

// The customers module's public face: its descriptor, and for other modules the Customer type and its repository.
export { customersModule } from './customers.module.js';
export { CUSTOMER_DATES, customerFromJson, CustomerRepository } from './customer.repository.js';
export { Customer } from './customer.type.js';

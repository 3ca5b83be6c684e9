export { customersModule } from './customers.module.js';
export { createCustomerLoaders } from './customer.loaders.js';
export { CustomerRepository } from './customer.repository.js';
export { CustomerResolver } from './customer.resolver.js';
export { CustomerFieldResolver } from './customer-fields.resolver.js';
export { CustomerService } from './customer.service.js';
export { Customer, CUSTOMER_STAFF } from './customer.type.js';
export { CustomerConnection } from './customer-connection.type.js';

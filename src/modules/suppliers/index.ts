// The suppliers module's public face: its descriptor, and for other modules the Supplier type, its repository and the commission split.
export { suppliersModule } from './suppliers.module.js';
export { splitCommission } from './supplier-earnings.rules.js';
export { SUPPLIER_DATES, SupplierRepository } from './supplier.repository.js';
export { Supplier } from './supplier.type.js';

// The catalogue module's public face: its descriptor, and for other modules the Product type and its repository.
export { catalogueModule } from './catalogue.module.js';
export { PriceChangeRequest, PriceChangeStatus } from './price-change.type.js';
export { productFromJson, ProductRepository } from './product.repository.js';
export { Product } from './product.type.js';

// The catalogue module: products, their prices and suppliers' price-change requests.
import { defineModule, type ServicesOf, type LoadersOf } from '../module.js';
import { createCatalogueLoaders } from './catalogue.loaders.js';
import { CatalogueResolver } from './catalogue.resolver.js';
import { CatalogueService } from './catalogue.service.js';
import { PriceChangeRepository } from './price-change.repository.js';
import { PriceChangeResolver } from './price-change.resolver.js';
import { PriceChangeService } from './price-change.service.js';
import { ProductRepository } from './product.repository.js';
import { ProductFieldResolver, productOwnership } from './product.resolver.js';

export const catalogueModule = defineModule({
  name: 'catalogue',
  tables: ['Product', 'PriceChangeRequest'],
  resolvers: [CatalogueResolver, ProductFieldResolver, PriceChangeResolver],
  ownership: productOwnership,
  services: ({ db, clock }) => {
    const products = new ProductRepository(db);
    return {
      catalogue: new CatalogueService(db, clock, products),
      priceChanges: new PriceChangeService(db, clock, products, new PriceChangeRepository(db)),
    };
  },
  loaders: ({ db }) => createCatalogueLoaders(db),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof catalogueModule> {}
  interface Loaders extends LoadersOf<typeof catalogueModule> {}
}

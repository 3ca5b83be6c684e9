import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { OwnershipChecks } from '../../auth/authorization.js';
import type { Context } from '../context.js';
import { Money, money } from '../../graphql/money.type.js';
import { Supplier } from '../suppliers/index.js';
import { CATALOGUE_BROWSERS, Product } from './product.type.js';

interface ProductRow {
  supplierId: string;
  pricePaise: number;
}

@Resolver(() => Product)
export class ProductFieldResolver {
  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Money, { description: 'The current price; orders keep the price they were placed at.' })
  price(@Root() product: ProductRow) {
    return money(product.pricePaise);
  }

  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Supplier, { description: 'Who provides it.' })
  supplier(@Root() product: ProductRow, @Ctx() context: Context) {
    return context.loaders.supplierById.load(product.supplierId);
  }
}

export const productOwnership: OwnershipChecks = {
  Product: (viewer, product: ProductRow, role) => role === 'SUPPLIER' && product.supplierId === viewer.supplierId,
  PriceChangeRequest: (viewer, request: { supplierId: string }, role) => role === 'SUPPLIER' && request.supplierId === viewer.supplierId,
};

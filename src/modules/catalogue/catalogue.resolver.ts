import { Arg, Args, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { PageArgs } from '../../graphql/connection.type.js';
import { CreateProductInput } from './product.input.js';
import { CATALOGUE_BROWSERS, Product, ProductConnection } from './product.type.js';

@Resolver()
export class CatalogueResolver {
  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true, scopedBy: 'viewer' })
  @Query(() => ProductConnection, { description: 'Customers and delivery boys see active products; a supplier only its own.' })
  products(@Args(() => PageArgs) page: PageArgs, @Ctx() context: Context) {
    return context.services.catalogue.list(context.viewer!, page);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Product, { description: 'Adds a product to the catalogue for a supplier.' })
  createProduct(
    @Arg('input', () => CreateProductInput, { description: 'The product; each field says what it accepts.' }) input: CreateProductInput,
    @Ctx() context: Context,
  ) {
    return context.services.catalogue.create(context.viewer!, input);
  }
}

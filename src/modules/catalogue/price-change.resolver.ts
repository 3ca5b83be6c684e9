import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { Money, money } from '../../shared/graphql/money.type.js';
import { User } from '../identity/index.js';
import { Supplier } from '../suppliers/supplier.type.js';
import { PriceChangeRequest, PriceChangeStatus } from './price-change.type.js';
import { Product } from './product.type.js';

interface PriceChangeRow {
  productId: string;
  supplierId: string;
  currentPricePaise: number;
  requestedPricePaise: number;
  reviewedById: string | null;
}

@Resolver(() => PriceChangeRequest)
export class PriceChangeResolver {
  @Auth(['SUPPLIER'], { owner: true })
  @Mutation(() => PriceChangeRequest, { description: "Only the product's supplier; one pending request per product." })
  requestPriceChange(
    @Arg('productId', () => ID) productId: string,
    @Arg('newPricePaise', () => Int) newPricePaise: number,
    @Arg('reason', () => String, { nullable: true }) reason: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.priceChanges.request(context.viewer!, productId, newPricePaise, reason);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Query(() => [PriceChangeRequest], { description: 'Admins see all requests; a supplier its own. Oldest first.' })
  priceChangeRequests(
    @Arg('status', () => PriceChangeStatus, { nullable: true }) status: PriceChangeStatus | null,
    @Ctx() context: Context,
  ) {
    return context.services.priceChanges.list(context.viewer!, status);
  }

  @Auth(['ADMIN'])
  @Mutation(() => PriceChangeRequest, { description: 'Approving changes the price; every review is audit-logged.' })
  reviewPriceChange(
    @Arg('id', () => ID) id: string,
    @Arg('approve', () => Boolean) approve: boolean,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.priceChanges.review(context.viewer!, id, approve, note);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Product)
  product(@Root() request: PriceChangeRow, @Ctx() context: Context) {
    return context.loaders.productById.load(request.productId);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Supplier)
  supplier(@Root() request: PriceChangeRow, @Ctx() context: Context) {
    return context.loaders.supplierById.load(request.supplierId);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Money, { description: 'The price when the request was made.' })
  currentPrice(@Root() request: PriceChangeRow) {
    return money(request.currentPricePaise);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Money)
  requestedPrice(@Root() request: PriceChangeRow) {
    return money(request.requestedPricePaise);
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => User, { nullable: true })
  reviewedBy(@Root() request: PriceChangeRow, @Ctx() context: Context) {
    return request.reviewedById ? context.loaders.userById.load(request.reviewedById) : null;
  }
}

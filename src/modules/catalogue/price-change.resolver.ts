import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { requireRecentSecondFactor, STEP_UP_NOTE } from '../../auth/second-factor.js';
import type { Context } from '../context.js';
import { Money, money } from '../../graphql/money.type.js';
import { User } from '../identity/index.js';
import { Supplier } from '../suppliers/index.js';
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
  @Auth(['SUPPLIER'], { owner: true, scopedBy: 'viewer' })
  @Mutation(() => PriceChangeRequest, {
    description:
      "Asks for a new price for one of the supplier's own products; the price changes only when an admin approves. " +
      "FORBIDDEN for anyone else's product (or none), CONFLICT while another request for the product is pending.",
  })
  requestPriceChange(
    @Arg('productId', () => ID, { description: 'One of your own products.' }) productId: string,
    @Arg('newPricePaise', () => Int, {
      description: 'The new price of one unit in paise (₹1 = 100), 1 to 1,00,00,000 (₹1,00,000); BAD_USER_INPUT when it is the current price.',
    })
    newPricePaise: number,
    @Arg('reason', () => String, { nullable: true, description: 'Why, for the reviewing admin; up to 500 characters.' }) reason: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.priceChanges.request(context.viewer!, productId, newPricePaise, reason);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true, scopedBy: 'viewer' })
  @Query(() => [PriceChangeRequest], { description: 'Admins see all requests; a supplier its own. Oldest first.' })
  priceChangeRequests(
    @Arg('status', () => PriceChangeStatus, { nullable: true, description: 'Only requests in this status; default all.' }) status: PriceChangeStatus | null,
    @Ctx() context: Context,
  ) {
    return context.services.priceChanges.list(context.viewer!, status);
  }

  @Auth(['ADMIN'])
  @Mutation(() => PriceChangeRequest, {
    description:
      "Approves or rejects a pending request; approving changes the product's price (placed orders keep theirs). Every " +
      `review is audit-logged. NOT_FOUND for an unknown id, CONFLICT when the request was already reviewed. ${STEP_UP_NOTE}`,
  })
  reviewPriceChange(
    @Arg('id', () => ID, { description: 'The request (PriceChangeRequest.id).' }) id: string,
    @Arg('approve', () => Boolean, { description: 'True approves (the price changes), false rejects.' }) approve: boolean,
    @Arg('note', () => String, { nullable: true, description: 'A note the supplier can read; up to 500 characters.' }) note: string | null,
    @Ctx() context: Context,
  ) {
    requireRecentSecondFactor(context.viewer!, context.clock.now());
    return context.services.priceChanges.review(context.viewer!, id, approve, note);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Product, { description: 'The product whose price would change.' })
  product(@Root() request: PriceChangeRow, @Ctx() context: Context) {
    return context.loaders.productById.load(request.productId);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Supplier, { description: 'The supplier who asked.' })
  supplier(@Root() request: PriceChangeRow, @Ctx() context: Context) {
    return context.loaders.supplierById.load(request.supplierId);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Money, { description: 'The price per unit when the request was made.' })
  currentPrice(@Root() request: PriceChangeRow) {
    return money(request.currentPricePaise);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => Money, { description: 'The price asked for, per unit.' })
  requestedPrice(@Root() request: PriceChangeRow) {
    return money(request.requestedPricePaise);
  }

  @Auth(['ADMIN'])
  @FieldResolver(() => User, { nullable: true, description: 'The admin who reviewed it; null while pending.' })
  reviewedBy(@Root() request: PriceChangeRow, @Ctx() context: Context) {
    return request.reviewedById ? context.loaders.userById.load(request.reviewedById) : null;
  }
}

import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { Product } from '../catalogue/index.js';
import { Customer } from '../customers/index.js';
import { DeliveryBoy } from '../delivery/index.js';
import { ORDER_STAFF } from './order.type.js';
import { CreateSubscriptionInput } from './subscription.input.js';
import { Subscription } from './subscription.type.js';

interface SubscriptionRow {
  customerId: string;
  productId: string;
  deliveryBoyId: string | null;
  /** Present when the subscription came with a page of them. */
  product?: unknown;
}

@Resolver(() => Subscription)
export class SubscriptionResolver {
  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true, scopedBy: 'viewer' })
  @Mutation(() => Subscription, {
    description: "Starts a standing order; its delivery boy is the customer's. BAD_USER_INPUT names the field at fault.",
  })
  createSubscription(
    @Arg('input', () => CreateSubscriptionInput, { description: 'The subscription.' }) input: CreateSubscriptionInput,
    @Ctx() context: Context,
  ) {
    return context.services.subscriptions.create(context.viewer!, input);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true, scopedBy: 'viewer' })
  @Query(() => Subscription, { nullable: true, description: "A subscription by id; null when it is not the caller's to see." })
  subscription(@Arg('id', () => ID, { description: "The subscription's id." }) id: string, @Ctx() context: Context) {
    return context.services.subscriptions.byId(context.viewer!, id);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => Customer, { description: 'Whose subscription it is.' })
  customer(@Root() subscription: SubscriptionRow, @Ctx() context: Context) {
    return context.loaders.customerById.load(subscription.customerId);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => Product, { description: 'What is delivered.' })
  product(@Root() subscription: SubscriptionRow, @Ctx() context: Context) {
    return subscription.product ?? context.loaders.productById.load(subscription.productId);
  }

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => DeliveryBoy, {
    nullable: true,
    description: "Who delivers it: the customer's delivery boy, following reassignment; null while the customer has none.",
  })
  deliveryBoy(@Root() subscription: SubscriptionRow, @Ctx() context: Context) {
    return subscription.deliveryBoyId ? context.loaders.deliveryBoyById.load(subscription.deliveryBoyId) : null;
  }
}

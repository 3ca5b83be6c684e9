import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../shared/graphql/scalars.js';

@InputType()
export class OrderItemInput {
  @Field(() => ID) productId!: string;
  @Field(() => Int) quantity!: number;
}

@InputType()
export class PlaceOrderInput {
  @Field(() => [OrderItemInput]) items!: OrderItemInput[];
  @Field(() => DateScalar, { description: 'Today (IST) or later' }) deliveryDate!: Date;
  @Field(() => ID, { nullable: true }) subscriptionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Admins only: whose order. Customers omit it (their own).' })
  customerId?: string | null;
}

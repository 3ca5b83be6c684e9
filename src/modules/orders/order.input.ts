import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars.js';

@InputType({ description: 'One line of a new order.' })
class OrderItemInput {
  @Field(() => ID, { description: 'An active product; BAD_USER_INPUT when there is none or it is no longer sold.' }) productId!: string;
  @Field(() => Int, { description: 'How many units, 1 to 100.' }) quantity!: number;
}

@InputType({ description: 'A new order for one delivery date.' })
export class PlaceOrderInput {
  @Field(() => [OrderItemInput], { description: '1 to 50 lines, each product at most once.' }) items!: OrderItemInput[];
  @Field(() => DateScalar, { description: 'The IST day to deliver on: today or later, at most 90 days ahead.' }) deliveryDate!: Date;
  @Field(() => ID, { nullable: true, description: "The customer's own subscription this order fulfils, if any." })
  subscriptionId?: string | null;
  @Field(() => ID, { nullable: true, description: 'Admins only: whose order. Customers omit it (their own).' })
  customerId?: string | null;
}

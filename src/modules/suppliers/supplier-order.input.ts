import { Field, InputType } from 'type-graphql';
import { OrderStatus } from '../orders/order.type.js';

@InputType({ description: "A filter on a customer's phone is refused to suppliers, who may never read it." })
export class SupplierOrderFilter {
  @Field(() => OrderStatus, { nullable: true }) status?: OrderStatus | null;
  @Field(() => String, { nullable: true }) customerArea?: string | null;
  @Field(() => String, { nullable: true, description: 'Admins only' }) customerPhone?: string | null;
}

import { Field, InputType } from 'type-graphql';
import { OrderStatus } from '../orders/index.js';

@InputType({ description: "A filter on a customer's phone is refused to suppliers, who may never read it." })
export class SupplierOrderFilter {
  @Field(() => OrderStatus, { nullable: true, description: 'Only orders in this status.' }) status?: OrderStatus | null;
  @Field(() => String, { nullable: true, description: 'Only orders of customers in this area (exact match).' }) customerArea?: string | null;
  @Field(() => String, {
    nullable: true,
    description: 'Admins only (FORBIDDEN for suppliers): only orders of the customer with this phone, in any accepted format.',
  })
  customerPhone?: string | null;
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';

// Product listings show the supplier's name to everyone who may browse products.
export const PRODUCT_READERS = ['CUSTOMER', 'DELIVERY_BOY', 'SUPPLIER', 'MARKETING_STAFF', 'ADMIN'] as const;

@ObjectType({ description: 'The supplier facet of a user: a partner business with its products.' })
export class Supplier {
  @Auth([...PRODUCT_READERS])
  @Field(() => ID)
  id!: string;

  userId!: string;

  @Auth([...PRODUCT_READERS])
  @Field(() => String)
  businessName!: string;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Int, { description: 'Commission in basis points (1000 = 10 %)' })
  commissionRateBps!: number;
}

import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';

// Product listings show the supplier's name to everyone who may browse products.
const PRODUCT_READERS = ['CUSTOMER', 'DELIVERY_BOY', 'SUPPLIER', 'MARKETING_STAFF', 'ADMIN'] as const;

@ObjectType({ simpleResolvers: true, description: 'The supplier facet of a user: a partner business with its products.' })
export class Supplier {
  @Auth([...PRODUCT_READERS])
  @Field(() => ID, { description: "The supplier's id (not its User.id): what CreateProductInput.supplierId takes." })
  id!: string;

  userId!: string;

  @Auth([...PRODUCT_READERS])
  @Field(() => String, { description: "The business's name, shown with its products." })
  businessName!: string;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Int, { description: 'The commission taken on its delivered lines, in basis points (1000 = 10 %), 0 to 10000.' })
  commissionRateBps!: number;
}

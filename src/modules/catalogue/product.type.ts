import { Field, ID, ObjectType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ConnectionType } from '../../graphql/connection.type.js';

// Everyone but suppliers browses the whole catalogue; a supplier sees only its own products.
export const CATALOGUE_BROWSERS = ['CUSTOMER', 'DELIVERY_BOY', 'MARKETING_STAFF', 'ADMIN'] as const;

@ObjectType({ simpleResolvers: true, description: 'Something a supplier provides, sold at a price in paise.' })
export class Product {
  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => ID, { description: "The product's id, for placing orders and subscriptions." })
  id!: string;

  supplierId!: string;
  pricePaise!: number;

  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => String, { description: 'What customers see, e.g. "Toned milk".' })
  name!: string;

  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => String, { description: 'What one unit is, e.g. "500 ml pouch"' })
  unit!: string;

  @Auth([...CATALOGUE_BROWSERS])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Boolean, { description: 'Inactive products stay on old orders but cannot be ordered.' })
  active!: boolean;
}

export const ProductConnection = ConnectionType('Product', Product);

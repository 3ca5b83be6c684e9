import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ActivationStatus } from '../../generated/prisma/enums.js';

registerEnumType(ActivationStatus, { name: 'ActivationStatus' });

// Who reads a customer: staff who look after customers, the customer itself, and (for the fields the
// delivery app needs) the delivery boy the customer is assigned to. Contact fields are masked for others.
export const CUSTOMER_STAFF = ['ADMIN', 'MARKETING_STAFF'] as const;

@ObjectType({ description: 'The customer facet of a user: billing, delivery and activation.' })
export class Customer {
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ID)
  id!: string;

  userId!: string;
  deliveryBoyId!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String)
  name!: string;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true })
  address!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true })
  area!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => ActivationStatus)
  activationStatus!: ActivationStatus;
}

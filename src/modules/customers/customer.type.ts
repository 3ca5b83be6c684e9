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

  // The delivery app's MarkOrderDelivered reads these two back for the customer just delivered to.
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ActivationStatus)
  activationStatus!: ActivationStatus;

  // The activation fields of SPEC §4: stored columns, kept by the activation transitions.
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date)
  signupAt!: Date;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true })
  firstOrderAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Date, { nullable: true })
  firstDeliveryAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true })
  lastOrderAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true })
  churnedAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true })
  firstContactAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true })
  firstCallAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true })
  lastContactAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Boolean)
  onboardingCompleted!: boolean;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Boolean)
  welcomeMessageSent!: boolean;
}

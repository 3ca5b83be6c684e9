import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ActivationStatus } from '../../generated/prisma/enums.js';

registerEnumType(ActivationStatus, {
  name: 'ActivationStatus',
  description: 'Where a customer is in the activation pipeline; each change is an ActivationEvent in activationHistory.',
  valuesConfig: {
    NEW: { description: 'Signed up, no order yet.' },
    ONBOARDED: { description: 'Placed a first order, not delivered to yet.' },
    ACTIVE: { description: 'Delivered to and ordering; also a returning customer who orders again while INACTIVE.' },
    INACTIVE: { description: 'No order for more than 30 days (set by the inactivity sweep); churnedAt says since when.' },
  },
});

// Who reads a customer: staff who look after customers, the customer itself, and (for the fields the
// delivery app needs) the delivery boy the customer is assigned to. Contact fields are masked for others.
export const CUSTOMER_STAFF = ['ADMIN', 'MARKETING_STAFF'] as const;

@ObjectType({ simpleResolvers: true, description: 'The customer facet of a user: billing, delivery and activation.' })
export class Customer {
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ID, { description: "The customer's id (not its User.id): what orders, subscriptions and customer(id) take." })
  id!: string;

  userId!: string;
  deliveryBoyId!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, { description: "The customer's name as it appears on deliveries." })
  name!: string;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, {
    nullable: true,
    description:
      'E.164, e.g. +919876543210; null when none is known. Masked: null with FORBIDDEN at this path for callers other ' +
      'than staff, the customer and its assigned delivery boy.',
  })
  phone!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, {
    nullable: true,
    description: 'The delivery address; null when none is known. Masked like phone.',
  })
  address!: string | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true, description: 'The locality a delivery boy serves, e.g. "Koramangala"; null when unset.' })
  area!: string | null;

  // The delivery app's MarkOrderDelivered reads these two back for the customer just delivered to.
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ActivationStatus, { description: 'Where the customer is in the activation pipeline now.' })
  activationStatus!: ActivationStatus;

  // The activation fields of SPEC §4: stored columns, kept by the activation transitions.
  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { description: 'When the customer signed up (registered, by OTP, or signed up by staff).' })
  signupAt!: Date;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When the first order was placed; null before it.' })
  firstOrderAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When the first order was delivered; null before it.' })
  firstDeliveryAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When the latest order was placed; null before the first.' })
  lastOrderAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When the customer became INACTIVE; null unless INACTIVE now.' })
  churnedAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When marketing staff first logged a contact; null before it.' })
  firstContactAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When marketing staff first logged a CALL; null before it.' })
  firstCallAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When marketing staff last logged a contact of any kind; null before the first.' })
  lastContactAt!: Date | null;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Boolean, { description: 'True once the first order has been delivered.' })
  onboardingCompleted!: boolean;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Boolean, { description: 'True once the welcome message has been sent (not merely queued).' })
  welcomeMessageSent!: boolean;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Boolean, {
    description:
      'The customer agreed to receive order messages on WhatsApp (setWhatsappOptIn); they then go by WhatsApp first, ' +
      'by SMS when WhatsApp does not deliver them.',
  })
  whatsappOptIn!: boolean;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Boolean, {
    description:
      'Whether the customer has opted in to promotional messages (setMarketingConsent); false until they do. ' +
      'Promotional messages to a customer without it are never sent.',
  })
  marketingConsent!: boolean;

  @Auth([...CUSTOMER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When the customer last gave or withdrew marketing consent; null if never.' })
  marketingConsentAt!: Date | null;
}

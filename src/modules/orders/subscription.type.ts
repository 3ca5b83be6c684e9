import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { Shift, SubscriptionPattern, SubscriptionStatus } from '../../generated/prisma/enums.js';
import { ConnectionType } from '../../graphql/connection.type.js';
import { DateScalar } from '../../graphql/scalars.js';
import { ORDER_STAFF } from './order.type.js';

registerEnumType(SubscriptionPattern, {
  name: 'SubscriptionPattern',
  description: 'Which days a subscription delivers on.',
  valuesConfig: {
    DAILY: { description: 'Every day.' },
    ALTERNATE_DAYS: { description: 'Every other day from the start date.' },
    WEEKLY: { description: 'On the ISO weekdays listed in weekdays.' },
  },
});
registerEnumType(Shift, {
  name: 'Shift',
  description: 'When in the day a delivery comes.',
  valuesConfig: {
    MORNING: { description: 'The morning round.' },
    EVENING: { description: 'The evening round.' },
  },
});
registerEnumType(SubscriptionStatus, {
  name: 'SubscriptionStatus',
  description: 'Whether a subscription is delivering.',
  valuesConfig: {
    ACTIVE: { description: 'Delivering on its pattern; new subscriptions start ACTIVE.' },
    PAUSED: { description: 'Not delivering for now; it can resume.' },
    STOPPED: { description: 'Ended for good; stopDate says when.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'A standing order: a product delivered on a pattern of days, in a shift.' })
export class Subscription {
  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => ID, { description: "The subscription's id, for subscription(id) and PlaceOrderInput.subscriptionId." })
  id!: string;

  customerId!: string;
  productId!: string;
  deliveryBoyId!: string | null;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Int, { description: 'Units per delivery.' })
  quantity!: number;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => SubscriptionPattern, { description: 'Which days it delivers on.' })
  pattern!: SubscriptionPattern;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => [Int], { description: 'For WEEKLY: ISO weekdays, 1 = Monday … 7 = Sunday, ascending; empty for the other patterns.' })
  weekdays!: number[];

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Shift, { description: 'The morning or evening round.' })
  shift!: Shift;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => SubscriptionStatus, { description: 'Whether it is delivering.' })
  status!: SubscriptionStatus;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => DateScalar, { description: 'The first IST day it delivers on.' })
  startDate!: Date;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => DateScalar, { nullable: true, description: 'The IST day it stops; null while it runs open-ended.' })
  stopDate!: Date | null;
}

export const SubscriptionConnection = ConnectionType('Subscription', Subscription);
export { Shift, SubscriptionPattern, SubscriptionStatus };

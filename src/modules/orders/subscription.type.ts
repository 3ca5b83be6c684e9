import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { Shift, SubscriptionPattern, SubscriptionStatus } from '../../generated/prisma/enums.js';
import { ConnectionType } from '../../shared/graphql/connection.type.js';
import { DateScalar } from '../../shared/graphql/scalars.js';
import { ORDER_STAFF } from './order.type.js';

registerEnumType(SubscriptionPattern, { name: 'SubscriptionPattern' });
registerEnumType(Shift, { name: 'Shift' });
registerEnumType(SubscriptionStatus, { name: 'SubscriptionStatus' });

@ObjectType({ description: 'A standing order: a product delivered on a pattern of days, in a shift.' })
export class Subscription {
  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => ID)
  id!: string;

  customerId!: string;
  productId!: string;
  deliveryBoyId!: string | null;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Int)
  quantity!: number;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => SubscriptionPattern)
  pattern!: SubscriptionPattern;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => [Int], { description: 'For WEEKLY: ISO weekdays, 1 = Monday … 7 = Sunday' })
  weekdays!: number[];

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => Shift)
  shift!: Shift;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => SubscriptionStatus)
  status!: SubscriptionStatus;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => DateScalar)
  startDate!: Date;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => DateScalar, { nullable: true })
  stopDate!: Date | null;
}

export const SubscriptionConnection = ConnectionType('Subscription', Subscription);
export { Shift, SubscriptionPattern, SubscriptionStatus };

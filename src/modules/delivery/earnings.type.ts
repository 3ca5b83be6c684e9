import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { Money } from '../../shared/graphql/money.type.js';

export enum Period {
  TODAY = 'TODAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  ALL_TIME = 'ALL_TIME',
}
registerEnumType(Period, { name: 'Period', description: 'A calendar period in IST; weeks start on Monday.' });

// Reachable only through DeliveryBoy.earnings, whose grant decides who sees it.
@ObjectType({ description: "A delivery boy's deliveries and their amount in a period, from delivery records." })
export class Earnings {
  @Public()
  @Field(() => Period)
  period!: Period;

  @Public()
  @Field(() => Int)
  deliveries!: number;

  @Public()
  @Field(() => Money)
  amount!: Money;
}

@ObjectType({ description: 'Money paid out to a delivery boy against his earnings.' })
export class Payout {
  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => ID)
  id!: string;

  deliveryBoyId!: string;
  amountPaise!: number;

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => Date)
  paidAt!: Date;
}

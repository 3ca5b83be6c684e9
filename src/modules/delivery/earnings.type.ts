import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { Money } from '../../graphql/money.type.js';

export enum Period {
  TODAY = 'TODAY',
  WEEK = 'WEEK',
  MONTH = 'MONTH',
  ALL_TIME = 'ALL_TIME',
}
registerEnumType(Period, {
  name: 'Period',
  description: 'A calendar period in IST (Asia/Kolkata) containing now; weeks start on Monday.',
  valuesConfig: {
    TODAY: { description: 'Today, from IST midnight.' },
    WEEK: { description: 'This week, from Monday IST midnight.' },
    MONTH: { description: 'This calendar month, from the 1st at IST midnight.' },
    ALL_TIME: { description: 'Everything ever recorded.' },
  },
});

// Reachable only through DeliveryBoy.earnings, whose grant decides who sees it.
@ObjectType({ simpleResolvers: true, description: "A delivery boy's deliveries and their amount in a period, from delivery records." })
export class Earnings {
  @Public()
  @Field(() => Period, { description: 'The period asked for.' })
  period!: Period;

  @Public()
  @Field(() => Int, { description: 'Orders he delivered in the period.' })
  deliveries!: number;

  @Public()
  @Field(() => Money, { description: 'What those deliveries earned him, each at the rate it was recorded with.' })
  amount!: Money;
}

@ObjectType({ simpleResolvers: true, description: 'Money paid out to a delivery boy against his earnings.' })
export class Payout {
  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => ID, { description: "The payout's id." })
  id!: string;

  deliveryBoyId!: string;
  amountPaise!: number;

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => Date, { description: 'When the money was paid (never in the future).' })
  paidAt!: Date;
}

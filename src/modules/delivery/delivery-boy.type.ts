import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { DeliveryBoyStatus, PaymentFrequency } from '../../generated/prisma/enums.js';

registerEnumType(DeliveryBoyStatus, {
  name: 'DeliveryBoyStatus',
  description: 'Whether a delivery boy is working, for staff planning routes; it does not change what he may do.',
  valuesConfig: {
    ACTIVE: { description: 'Working; the default.' },
    INACTIVE: { description: 'No longer working.' },
    ON_LEAVE: { description: 'Away for a while, expected back.' },
  },
});
registerEnumType(PaymentFrequency, {
  name: 'PaymentFrequency',
  description: 'How often a delivery boy is paid his earnings (payouts are recorded by admins).',
  valuesConfig: {
    WEEKLY: { description: 'Every week; the default.' },
    BIWEEKLY: { description: 'Every two weeks.' },
    MONTHLY: { description: 'Every calendar month.' },
  },
});

@ObjectType({ simpleResolvers: true, description: 'The delivery-boy facet of a user: route, rate and earnings.' })
export class DeliveryBoy {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY', 'CUSTOMER'], { owner: true })
  @Field(() => ID, { description: "The delivery boy's id (not his User.id): what assignDeliveryBoy and recordPayout take." })
  id!: string;

  userId!: string;
  ratePerDeliveryPaise!: number;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => DeliveryBoyStatus, { description: 'Whether he is working now.' })
  status!: DeliveryBoyStatus;

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => PaymentFrequency, { description: 'How often he is paid.' })
  paymentFrequency!: PaymentFrequency;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true, description: 'The area he serves; null when unset.' })
  area!: string | null;
}

import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { DeliveryBoyStatus, PaymentFrequency } from '../../generated/prisma/enums.js';

registerEnumType(DeliveryBoyStatus, { name: 'DeliveryBoyStatus' });
registerEnumType(PaymentFrequency, { name: 'PaymentFrequency' });

@ObjectType({ description: 'The delivery-boy facet of a user: route, rate and earnings.' })
export class DeliveryBoy {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY', 'CUSTOMER'], { owner: true })
  @Field(() => ID)
  id!: string;

  userId!: string;
  ratePerDeliveryPaise!: number;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => DeliveryBoyStatus)
  status!: DeliveryBoyStatus;

  @Auth(['ADMIN'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => PaymentFrequency)
  paymentFrequency!: PaymentFrequency;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true, description: 'The area he serves' })
  area!: string | null;
}

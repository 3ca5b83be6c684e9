import { Field, ID, InputType } from 'type-graphql';
import { ActivationStatus } from '../../generated/prisma/enums.js';

@InputType({ description: 'Marketing staff signing a customer up in the field.' })
export class CreateCustomerInput {
  @Field(() => String, { description: "The customer's name, 1 to 100 characters." }) name!: string;
  @Field(() => String, {
    description: 'An Indian mobile number in any accepted format (+91…, 91…, 0…, or 10 digits from 6–9); stored as E.164.',
  })
  phone!: string;
  @Field(() => String, { nullable: true, description: 'The delivery address, up to 500 characters.' }) address?: string | null;
  @Field(() => String, { nullable: true, description: 'The locality, up to 100 characters.' }) area?: string | null;
}

@InputType({ description: 'Narrows the customer list; a filter on a field the caller may not read is refused (FORBIDDEN).' })
export class CustomerFilter {
  @Field(() => ActivationStatus, { nullable: true, description: 'Only customers in this status.' })
  activationStatus?: ActivationStatus | null;
  @Field(() => String, { nullable: true, description: 'Only customers in this area (exact match).' }) area?: string | null;
  @Field(() => ID, { nullable: true, description: 'Only customers assigned to this delivery boy (DeliveryBoy.id).' })
  deliveryBoyId?: string | null;
  @Field(() => String, { nullable: true, description: 'Only the customer with this phone, in any accepted format.' }) phone?: string | null;
}

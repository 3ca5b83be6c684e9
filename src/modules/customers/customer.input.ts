import { Field, ID, InputType } from 'type-graphql';
import { ActivationStatus } from '../../generated/prisma/enums.js';

@InputType({ description: 'Marketing staff signing a customer up in the field.' })
export class CreateCustomerInput {
  @Field(() => String) name!: string;
  @Field(() => String) phone!: string;
  @Field(() => String, { nullable: true }) address?: string | null;
  @Field(() => String, { nullable: true }) area?: string | null;
}

@InputType({ description: 'A filter on a field is refused to callers who may not read that field.' })
export class CustomerFilter {
  @Field(() => ActivationStatus, { nullable: true }) activationStatus?: ActivationStatus | null;
  @Field(() => String, { nullable: true }) area?: string | null;
  @Field(() => ID, { nullable: true }) deliveryBoyId?: string | null;
  @Field(() => String, { nullable: true, description: 'Exact phone, any accepted format' }) phone?: string | null;
}

import { Field, InputType, Int } from 'type-graphql';
import { Role } from '../../auth/roles.js';
import { PaymentFrequency } from '../../generated/prisma/enums.js';
import { UserStatus } from './user.type.js';

@InputType()
export class RegisterInput {
  @Field(() => String) name!: string;
  @Field(() => String) password!: string;
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
}

@InputType()
export class UserFilter {
  @Field(() => Role, { nullable: true }) role?: Role | null;
  @Field(() => UserStatus, { nullable: true }) status?: UserStatus | null;
  @Field(() => String, { nullable: true }) search?: string | null;
}

@InputType()
export class DeliveryBoyInput {
  @Field(() => Int, { nullable: true }) ratePerDeliveryPaise?: number | null;
  @Field(() => PaymentFrequency, { nullable: true }) paymentFrequency?: PaymentFrequency | null;
  @Field(() => String, { nullable: true }) area?: string | null;
}

@InputType()
export class SupplierInput {
  @Field(() => String) businessName!: string;
  @Field(() => Int, { nullable: true }) commissionRateBps?: number | null;
}

@InputType()
export class CreateStaffUserInput {
  @Field(() => String) name!: string;
  @Field(() => [Role]) roles!: Role[];
  @Field(() => String, { nullable: true }) email?: string | null;
  @Field(() => String, { nullable: true }) phone?: string | null;
  @Field(() => String, { nullable: true }) password?: string | null;
  @Field(() => DeliveryBoyInput, { nullable: true }) deliveryBoy?: DeliveryBoyInput | null;
  @Field(() => SupplierInput, { nullable: true }) supplier?: SupplierInput | null;
}

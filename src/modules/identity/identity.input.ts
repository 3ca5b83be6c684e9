import { Field, InputType, Int } from 'type-graphql';
import { Role } from '../../auth/roles.js';
import { PaymentFrequency } from '../../generated/prisma/enums.js';
import { UserStatus } from './user.type.js';

const PHONE = 'An Indian mobile number in any accepted format (+91…, 91…, 0…, or 10 digits from 6–9); stored as E.164.';
const PASSWORD =
  '12 to 128 characters, spaces and any script allowed; BAD_USER_INPUT, saying why, when it is too easy to guess ' +
  '(a common password, or one containing the phone digits or the email name).';

@InputType({ description: 'A customer signing itself up: give an email, a phone or both.' })
export class RegisterInput {
  @Field(() => String, { description: "The customer's name, 1 to 100 characters." }) name!: string;
  @Field(() => String, { description: PASSWORD }) password!: string;
  @Field(() => String, { nullable: true, description: 'An email address, stored lower-case; CONFLICT when already registered.' })
  email?: string | null;
  @Field(() => String, { nullable: true, description: `${PHONE} CONFLICT when already registered.` }) phone?: string | null;
}

@InputType({ description: 'Narrows the user list; every field given must match.' })
export class UserFilter {
  @Field(() => Role, { nullable: true, description: 'Only users holding this role.' }) role?: Role | null;
  @Field(() => UserStatus, {
    nullable: true,
    description: 'Only users with this stored status; LOCKED is not stored and is refused (BAD_USER_INPUT).',
  })
  status?: UserStatus | null;
  @Field(() => String, {
    nullable: true,
    description: 'Part of the name (any case), email or phone digits; up to 100 characters.',
  })
  search?: string | null;
}

@InputType({ description: 'The delivery-boy facet of a new staff user; needs the DELIVERY_BOY role.' })
export class DeliveryBoyInput {
  @Field(() => Int, { nullable: true, description: 'What each delivery earns him, in paise (₹1 = 100); default 3000 (₹30).' })
  ratePerDeliveryPaise?: number | null;
  @Field(() => PaymentFrequency, { nullable: true, description: 'How often he is paid; default WEEKLY.' })
  paymentFrequency?: PaymentFrequency | null;
  @Field(() => String, { nullable: true, description: 'The area he serves.' }) area?: string | null;
}

@InputType({ description: 'The supplier facet of a new staff user; needs the SUPPLIER role.' })
export class SupplierInput {
  @Field(() => String, { description: "The business's name, 1 to 100 characters." }) businessName!: string;
  @Field(() => Int, { nullable: true, description: 'Commission in basis points (1000 = 10 %), 0 to 10000; default 1000.' })
  commissionRateBps?: number | null;
}

@InputType({ description: 'A staff account made by an admin: give an email, a phone or both.' })
export class CreateStaffUserInput {
  @Field(() => String, { description: "The person's name, 1 to 100 characters." }) name!: string;
  @Field(() => [Role], { description: 'At least one; each facet role (CUSTOMER, DELIVERY_BOY, SUPPLIER) creates its facet.' })
  roles!: Role[];
  @Field(() => String, { nullable: true, description: 'An email address, stored lower-case; CONFLICT when already registered.' })
  email?: string | null;
  @Field(() => String, { nullable: true, description: `${PHONE} CONFLICT when already registered.` }) phone?: string | null;
  @Field(() => String, { nullable: true, description: `Omit for an account that signs in by OTP only (it needs a phone). ${PASSWORD}` }) password?:
    string | null;
  @Field(() => DeliveryBoyInput, { nullable: true, description: 'With DELIVERY_BOY: his rate, pay frequency and area.' })
  deliveryBoy?: DeliveryBoyInput | null;
  @Field(() => SupplierInput, { nullable: true, description: "With SUPPLIER: the business; default its name is the user's." })
  supplier?: SupplierInput | null;
}

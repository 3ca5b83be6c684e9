// The activation module's GraphQL types. All of them are values reached only through checked fields
// (Customer.activationHistory, activationDashboard, runInactivitySweep), hence @Public on their fields.
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import { ActivationStatus, ContactKind } from '../../generated/prisma/enums.js';
import { Money } from '../../shared/graphql/money.type.js';

registerEnumType(ContactKind, { name: 'ContactKind' });

@ObjectType({ description: 'One transition of the activation pipeline (SPEC §4).' })
export class ActivationEvent {
  @Public()
  @Field(() => ActivationStatus, { nullable: true, description: 'Null for the signup that started the pipeline.' })
  from!: ActivationStatus | null;

  @Public()
  @Field(() => ActivationStatus)
  to!: ActivationStatus;

  @Public()
  @Field(() => Date)
  at!: Date;

  @Public()
  @Field(() => String, { description: 'register, otp-signup, marketing, first-order, first-delivery, no-order-30-days, order-while-inactive' })
  reason!: string;
}

@ObjectType()
export class SweepResult {
  @Public()
  @Field(() => Date)
  asOf!: Date;

  @Public()
  @Field(() => Int)
  markedInactive!: number;
}

@ObjectType({ description: 'Fractions in [0, 1] rounded to 4 decimals; null when nobody is in the denominator.' })
export class ConversionFunnel {
  @Public()
  @Field(() => Float, { nullable: true, description: 'Customers with a first order / all customers.' })
  signupToFirstOrder!: number | null;

  @Public()
  @Field(() => Float, { nullable: true, description: 'ACTIVE customers / customers with a first order.' })
  firstOrderToActive!: number | null;

  @Public()
  @Field(() => Float, {
    nullable: true,
    description: 'Of customers first delivered to at least 30 days before asOf, the share that is ACTIVE.',
  })
  activeRetention!: number | null;
}

@ObjectType({ description: 'Delivered orders of the customers currently in each status.' })
export class RevenueByStatus {
  @Public()
  @Field(() => Money)
  new!: Money;

  @Public()
  @Field(() => Money)
  onboarded!: Money;

  @Public()
  @Field(() => Money)
  active!: Money;

  @Public()
  @Field(() => Money)
  inactive!: Money;
}

/** The status counts shared by the whole dashboard and each signup month. */
// SignupMonth and ActivationDashboard inherit these fields; the base is never a field's type itself.
@ObjectType()
export abstract class StatusCounts {
  @Public()
  @Field(() => Int, { description: 'new + onboarded + active + inactive.' })
  totalCustomers!: number;

  @Public()
  @Field(() => Int)
  new!: number;

  @Public()
  @Field(() => Int)
  onboarded!: number;

  @Public()
  @Field(() => Int)
  active!: number;

  @Public()
  @Field(() => Int)
  inactive!: number;
}

@ObjectType({ description: 'The status counts of the customers who signed up in one IST calendar month.' })
export class SignupMonth extends StatusCounts {
  @Public()
  @Field(() => String, { description: 'YYYY-MM, the IST calendar month of signup.' })
  month!: string;
}

@ObjectType({ description: 'The activation funnel of SPEC §5, over customers neither archived nor merged.' })
export class ActivationDashboard extends StatusCounts {
  @Public()
  @Field(() => Date, { description: 'The reference instant of the 30-day retention window.' })
  asOf!: Date;

  @Public()
  @Field(() => ConversionFunnel)
  conversionFunnel!: ConversionFunnel;

  @Public()
  @Field(() => RevenueByStatus)
  revenueByStatus!: RevenueByStatus;

  @Public()
  @Field(() => [SignupMonth], { description: 'Per IST calendar month of signup, oldest first.' })
  bySignupMonth!: SignupMonth[];
}

// The activation module's GraphQL types. All of them are values reached only through checked fields
// (Customer.activationHistory, activationDashboard, runInactivitySweep), hence @Public on their fields.
import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import { ActivationStatus, ContactKind } from '../../generated/prisma/enums.js';
import { Money } from '../../graphql/money.type.js';

registerEnumType(ContactKind, {
  name: 'ContactKind',
  description: 'How marketing staff reached a customer (recordCustomerContact).',
  valuesConfig: {
    CALL: { description: "A phone call; the first one sets the customer's firstCallAt." },
    MESSAGE: { description: 'An SMS, WhatsApp or email message.' },
    VISIT: { description: 'A visit in person, e.g. at the door or a stall.' },
  },
});

@ObjectType({ simpleResolvers: true, description: "One transition of a customer's activation status, e.g. NEW to ONBOARDED on the first order." })
export class ActivationEvent {
  @Public()
  @Field(() => ActivationStatus, { nullable: true, description: 'Null for the signup that started the pipeline.' })
  from!: ActivationStatus | null;

  @Public()
  @Field(() => ActivationStatus, { description: 'The status the customer moved to.' })
  to!: ActivationStatus;

  @Public()
  @Field(() => Date, { description: 'When the transition happened.' })
  at!: Date;

  @Public()
  @Field(() => String, {
    description:
      'What caused it, one of: register, otp-signup, marketing (signed up by staff), first-order, first-delivery, ' +
      'no-order-30-days (the inactivity sweep), order-while-inactive.',
  })
  reason!: string;
}

@ObjectType({ simpleResolvers: true, description: 'What one run of the inactivity sweep did.' })
export class SweepResult {
  @Public()
  @Field(() => Date, { description: 'The instant the sweep ran as of: customers with no order in the 30 days before it were swept.' })
  asOf!: Date;

  @Public()
  @Field(() => Int, { description: 'How many ONBOARDED or ACTIVE customers this run moved to INACTIVE; 0 on a repeated run.' })
  markedInactive!: number;
}

@ObjectType({ simpleResolvers: true, description: 'Fractions in [0, 1] rounded to 4 decimals; null when nobody is in the denominator.' })
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

@ObjectType({ simpleResolvers: true, description: 'The totals of delivered orders, grouped by the status their customer is in now.' })
class RevenueByStatus {
  @Public()
  @Field(() => Money, { description: 'Delivered orders of customers now NEW (normally zero: a delivery makes a customer ACTIVE).' })
  new!: Money;

  @Public()
  @Field(() => Money, { description: 'Delivered orders of customers now ONBOARDED.' })
  onboarded!: Money;

  @Public()
  @Field(() => Money, { description: 'Delivered orders of customers now ACTIVE.' })
  active!: Money;

  @Public()
  @Field(() => Money, { description: 'Delivered orders of customers now INACTIVE.' })
  inactive!: Money;
}

/** The status counts shared by the whole dashboard and each signup month. */
// SignupMonth and ActivationDashboard inherit these fields; the base is never a field's type itself.
@ObjectType({ simpleResolvers: true })
export abstract class StatusCounts {
  @Public()
  @Field(() => Int, { description: 'Customers counted: new + onboarded + active + inactive.' })
  totalCustomers!: number;

  @Public()
  @Field(() => Int, { description: 'Customers in status NEW: signed up, no order yet.' })
  new!: number;

  @Public()
  @Field(() => Int, { description: 'Customers in status ONBOARDED: ordered, not delivered to yet.' })
  onboarded!: number;

  @Public()
  @Field(() => Int, { description: 'Customers in status ACTIVE: delivered to, and ordering.' })
  active!: number;

  @Public()
  @Field(() => Int, { description: 'Customers in status INACTIVE: no order for more than 30 days.' })
  inactive!: number;
}

@ObjectType({ simpleResolvers: true, description: 'The status counts of the customers who signed up in one IST calendar month.' })
export class SignupMonth extends StatusCounts {
  @Public()
  @Field(() => String, { description: 'YYYY-MM, the IST calendar month of signup.' })
  month!: string;
}

@ObjectType({ simpleResolvers: true, description: 'The activation funnel over customers neither archived nor merged, from their status now.' })
export class ActivationDashboard extends StatusCounts {
  @Public()
  @Field(() => Date, { description: 'The reference instant of the 30-day retention window.' })
  asOf!: Date;

  @Public()
  @Field(() => ConversionFunnel, { description: 'The three conversion rates of the funnel.' })
  conversionFunnel!: ConversionFunnel;

  @Public()
  @Field(() => RevenueByStatus, { description: 'Delivered revenue by the status each customer is in now.' })
  revenueByStatus!: RevenueByStatus;

  @Public()
  @Field(() => [SignupMonth], { description: 'Per IST calendar month of signup, oldest first.' })
  bySignupMonth!: SignupMonth[];
}

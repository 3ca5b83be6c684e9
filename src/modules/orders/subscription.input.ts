import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../graphql/scalars.js';
import { Shift, SubscriptionPattern } from './subscription.type.js';

@InputType({ description: 'A new standing order, ACTIVE from its start date.' })
export class CreateSubscriptionInput {
  @Field(() => ID, {
    nullable: true,
    description: 'Customers omit it (their own; naming another is FORBIDDEN); admins and marketing staff name the customer.',
  })
  customerId?: string | null;
  @Field(() => ID, { description: 'An active product; BAD_USER_INPUT when there is none or it is no longer sold.' }) productId!: string;
  @Field(() => Int, { description: 'Units per delivery, 1 to 100.' }) quantity!: number;
  @Field(() => SubscriptionPattern, { description: 'Which days it delivers on.' }) pattern!: SubscriptionPattern;
  @Field(() => [Int], {
    nullable: true,
    description: 'WEEKLY only (at least one): ISO weekdays, 1 = Monday … 7 = Sunday; BAD_USER_INPUT for the other patterns.',
  })
  weekdays?: number[] | null;
  @Field(() => Shift, { description: 'The morning or evening round.' }) shift!: Shift;
  @Field(() => DateScalar, { description: 'The first IST day to deliver on: today or later, at most 90 days ahead.' }) startDate!: Date;
}

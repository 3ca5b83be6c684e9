import { Field, ID, InputType, Int } from 'type-graphql';
import { DateScalar } from '../../shared/graphql/scalars.js';
import { Shift, SubscriptionPattern } from './subscription.type.js';

@InputType()
export class CreateSubscriptionInput {
  @Field(() => ID, { nullable: true, description: 'Customers omit it (their own); staff name the customer.' })
  customerId?: string | null;
  @Field(() => ID) productId!: string;
  @Field(() => Int) quantity!: number;
  @Field(() => SubscriptionPattern) pattern!: SubscriptionPattern;
  @Field(() => [Int], { nullable: true, description: 'WEEKLY only: ISO weekdays, 1 = Monday … 7 = Sunday' })
  weekdays?: number[] | null;
  @Field(() => Shift) shift!: Shift;
  @Field(() => DateScalar) startDate!: Date;
}

import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ContactKind } from '../../generated/prisma/enums.js';
import type { Context } from '../../server/context.js';
import { Customer } from '../customers/index.js';
import { ActivationDashboard, SweepResult } from './activation.type.js';

@Resolver()
export class ActivationResolver {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Query(() => Customer, { nullable: true, description: 'Null when there is no such customer or it is not yours to read.' })
  customer(@Arg('id', () => ID) id: string, @Ctx() context: Context) {
    return context.services.activation.customer(context.viewer!, id);
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Mutation(() => Customer, { description: 'Logs a marketing contact: firstContactAt once, firstCallAt on the first call, lastContactAt.' })
  recordCustomerContact(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('kind', () => ContactKind) kind: ContactKind,
    @Arg('note', () => String, { nullable: true }) note: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.activation.recordContact(context.viewer!, customerId, kind, note);
  }

  @Auth(['ADMIN'])
  @Mutation(() => SweepResult, { description: 'Marks customers with no order for more than 30 days before asOf (default now) INACTIVE.' })
  runInactivitySweep(@Arg('asOf', () => Date, { nullable: true }) asOf: Date | null, @Ctx() context: Context) {
    return context.services.inactivitySweep.runOnDemand(asOf);
  }

  @Auth(['ADMIN'])
  @Query(() => ActivationDashboard)
  activationDashboard(
    @Arg('asOf', () => Date, { nullable: true }) asOf: Date | null,
    @Arg('signupFrom', () => Date, { nullable: true, description: 'Cohort: signed up at or after this instant.' }) signupFrom: Date | null,
    @Arg('signupTo', () => Date, { nullable: true, description: 'Cohort: signed up before this instant.' }) signupTo: Date | null,
    @Ctx() context: Context,
  ) {
    return context.services.activationDashboard.dashboard({ asOf, signupFrom, signupTo });
  }
}

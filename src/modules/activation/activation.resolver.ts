import { Arg, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { ContactKind } from '../../generated/prisma/enums.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/index.js';
import { ActivationDashboard, SweepResult } from './activation.type.js';

@Resolver()
export class ActivationResolver {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true, scopedBy: 'viewer' })
  @Query(() => Customer, {
    nullable: true,
    description: 'A customer by id; null when there is no such customer or it is not yours to read (the two look the same).',
  })
  customer(@Arg('id', () => ID, { description: "The customer's id (Customer.id, not its User.id)." }) id: string, @Ctx() context: Context) {
    return context.services.activation.customer(context.viewer!, id);
  }

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Mutation(() => Customer, {
    description: 'Logs a marketing contact: sets firstContactAt (the first time only), firstCallAt (on the first CALL) and lastContactAt.',
  })
  recordCustomerContact(
    @Arg('customerId', () => ID, { description: 'The customer contacted; NOT_FOUND when there is no such customer.' }) customerId: string,
    @Arg('kind', () => ContactKind, { description: 'How the customer was reached.' }) kind: ContactKind,
    @Arg('note', () => String, { nullable: true, description: 'What was said, up to 2,000 characters (BAD_USER_INPUT beyond).' })
    note: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.activation.recordContact(context.viewer!, customerId, kind, note);
  }

  @Auth(['ADMIN'])
  @Mutation(() => SweepResult, {
    description:
      'Marks ONBOARDED and ACTIVE customers with no order for more than 30 days before asOf INACTIVE, queuing their ' +
      're-engagement message; running it again changes nothing. CONFLICT while another sweep is running.',
  })
  runInactivitySweep(
    @Arg('asOf', () => Date, { nullable: true, description: 'The instant to sweep as of; default now, BAD_USER_INPUT when in the future.' })
    asOf: Date | null,
    @Ctx() context: Context,
  ) {
    return context.services.inactivitySweep.runOnDemand(context.viewer!, asOf);
  }

  @Auth(['ADMIN'])
  @Query(() => ActivationDashboard, {
    description:
      'The activation funnel: customer counts by status, conversion rates, delivered revenue by status and the same ' + 'counts per IST signup month.',
  })
  activationDashboard(
    @Arg('asOf', () => Date, { nullable: true, description: 'The end of the 30-day retention window; default now.' }) asOf: Date | null,
    @Arg('signupFrom', () => Date, { nullable: true, description: 'Cohort: signed up at or after this instant; default no lower bound.' })
    signupFrom: Date | null,
    @Arg('signupTo', () => Date, {
      nullable: true,
      description: 'Cohort: signed up before this instant; default no upper bound. BAD_USER_INPUT unless after signupFrom.',
    })
    signupTo: Date | null,
    @Ctx() context: Context,
  ) {
    return context.services.activationDashboard.dashboard({ asOf, signupFrom, signupTo });
  }
}

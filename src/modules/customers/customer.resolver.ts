import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { notFound } from '../../shared/errors.js';
import { IDEMPOTENCY_KEY_DESCRIPTION, idempotentRequest } from '../idempotency/index.js';
import { PageArgs } from '../../graphql/connection.type.js';
import { CreateCustomerInput, CustomerFilter } from './customer.input.js';
import { Customer, CUSTOMER_STAFF } from './customer.type.js';
import { CustomerConnection } from './customer-connection.type.js';

@Resolver()
export class CustomerResolver {
  @Auth([...CUSTOMER_STAFF])
  @Auth(['DELIVERY_BOY'], { owner: true, scopedBy: 'viewer' })
  @Query(() => CustomerConnection, { description: 'Staff see every customer; a delivery boy the customers assigned to him.' })
  customers(
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => CustomerFilter, { nullable: true, description: 'Narrows the list; every field given must match.' }) filter: CustomerFilter | null,
    @Ctx() context: Context,
  ) {
    return context.services.customers.list(context.viewer!, page, filter);
  }

  @Auth([...CUSTOMER_STAFF])
  @Mutation(() => Customer, {
    description:
      'Signs a customer up in the field (status NEW, welcome message queued); the customer claims the account by OTP on ' +
      'that phone. CONFLICT when the phone is already registered. Safe to retry with an idempotency key (idempotencyKey or the ' +
      'Idempotency-Key header): a retry answers the customer created, not a CONFLICT.',
  })
  createCustomer(
    @Arg('input', () => CreateCustomerInput, { description: 'The new customer.' }) input: CreateCustomerInput,
    @Arg('idempotencyKey', () => String, { nullable: true, description: IDEMPOTENCY_KEY_DESCRIPTION }) idempotencyKey: string | null,
    @Ctx() context: Context,
  ) {
    return context.services.idempotency.run(idempotentRequest(context, 'createCustomer', { input }, idempotencyKey), {
      execute: (guard) => context.services.customers.create(context.viewer!, input, guard),
      idOf: (customer) => customer.id,
      replay: async (id) => (await context.loaders.customerById.load(id)) ?? Promise.reject(notFound('customer')),
    });
  }

  @Auth(['CUSTOMER'], { owner: true, scopedBy: 'viewer' })
  @Mutation(() => Customer, {
    description:
      "Gives (true) or withdraws (false) the signed-in customer's consent to order messages on WhatsApp; audit-logged. " +
      'FORBIDDEN for a caller without a customer facet: only the customer can consent.',
  })
  setWhatsappOptIn(
    @Arg('optIn', () => Boolean, { description: 'True to receive order messages by WhatsApp first, false for SMS only.' }) optIn: boolean,
    @Ctx() context: Context,
  ) {
    return context.services.customers.setWhatsappOptIn(context.viewer!, optIn);
  }

  @Auth(['CUSTOMER'])
  @Mutation(() => Customer, {
    description:
      'The signed-in customer gives (true) or withdraws (false) consent to promotional messages; only the customer ' +
      'themself can. Withdrawing takes effect for messages already queued. FORBIDDEN for a caller without a customer record.',
  })
  setMarketingConsent(
    @Arg('consent', () => Boolean, { description: 'true to receive promotional messages, false to stop them.' }) consent: boolean,
    @Ctx() context: Context,
  ) {
    return context.services.customers.setMarketingConsent(context.viewer!, consent);
  }

  @Auth(['ADMIN'])
  @Mutation(() => Customer, {
    description:
      "Assigns the customer's delivery boy: future orders and running subscriptions go to him; placed orders keep theirs " +
      '(see reassignOrder). Audit-logged.',
  })
  assignDeliveryBoy(
    @Arg('customerId', () => ID, { description: 'The customer (Customer.id); NOT_FOUND when there is none.' }) customerId: string,
    @Arg('deliveryBoyId', () => ID, { description: 'The delivery boy (DeliveryBoy.id); BAD_USER_INPUT when there is none.' })
    deliveryBoyId: string,
    @Ctx() context: Context,
  ) {
    return context.services.customers.assignDeliveryBoy(context.viewer!, customerId, deliveryBoyId);
  }
}

import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { Customer } from '../customers/index.js';
import { ActivationEvent } from './activation.type.js';

@Resolver(() => Customer)
export class CustomerActivationResolver {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['CUSTOMER'], { owner: true })
  @FieldResolver(() => [ActivationEvent], { description: 'Every activation transition, oldest first.' })
  activationHistory(@Root() customer: { id: string }, @Ctx() context: Context) {
    return context.loaders.activationHistoryByCustomerId.load(customer.id);
  }
}

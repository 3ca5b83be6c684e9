// Activation transitions (SPEC §4), each written in the caller's transaction together with its
// ActivationEvent and its message. Dedupe keys make a replayed event change nothing and queue nothing.
import type { DatabaseClient } from '../../db/client.js';
import { customerAddress, enqueueMessage } from '../messages/outbox.repository.js';

export interface CustomerContactCard {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
}

export type SignupReason = 'register' | 'otp-signup' | 'marketing';

/** Signup: the customer starts as NEW at `at`, and the welcome message is queued. */
export async function recordSignup(
  db: DatabaseClient,
  customer: CustomerContactCard,
  at: Date,
  reason: SignupReason,
): Promise<void> {
  const event = await db.activationEvent.createMany({
    data: [{ customerId: customer.id, fromStatus: null, toStatus: 'NEW', at, reason, dedupeKey: `signup:${customer.id}` }],
    skipDuplicates: true,
  });
  if (event.count === 0) return;
  await db.customer.update({ where: { id: customer.id }, data: { activationStatus: 'NEW', signupAt: at } });
  const address = customerAddress(customer);
  if (address) {
    await enqueueMessage(db, {
      dedupeKey: `welcome:${customer.id}`,
      ...address,
      template: 'WELCOME',
      variables: { name: customer.name },
      customerId: customer.id,
      at,
    });
  }
}

import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import type { ActivationEvent } from './activation.type.js';
import { ActivationRepository } from './activation.repository.js';

export function createActivationLoaders(db: Database) {
  const repository = new ActivationRepository(db);
  return {
    /** A customer's transitions, oldest first. */
    activationHistoryByCustomerId: new DataLoader(async (customerIds: readonly string[]) => {
      const events = await repository.activationEventsFor(customerIds);
      const byCustomer = new Map<string, ActivationEvent[]>(customerIds.map((id) => [id, []]));
      for (const event of events) {
        byCustomer.get(event.customerId)?.push({ from: event.fromStatus, to: event.toStatus, at: event.at, reason: event.reason });
      }
      return customerIds.map((id) => byCustomer.get(id) ?? []);
    }),
  };
}

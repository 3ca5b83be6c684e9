import DataLoader from 'dataloader';
import type { Database } from '../../db/client.js';
import { oneByKey } from '../../shared/loader-batches.js';
import { CustomerRepository } from './customer.repository.js';

export function createCustomerLoaders(db: Database) {
  const customers = new CustomerRepository(db);
  return {
    customerById: new DataLoader(async (ids: readonly string[]) => oneByKey(ids, await customers.findByIds(ids), (row) => row.id)),
  };
}

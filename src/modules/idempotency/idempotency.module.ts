// The idempotency module: the keys of mutations a client may safely retry, and their stored answers.
import { createHash } from 'node:crypto';
import { defineModule, type Platform, type ServicesOf } from '../module.js';
import { IdempotencyService } from './idempotency.service.js';

interface IdempotencyDependencies {
  /** The secret material its HMAC key is derived from, under a label of its own. */
  otpSecret: string;
}

export const idempotencyModule = defineModule({
  name: 'idempotency',
  tables: ['IdempotencyKey'],
  resolvers: [],
  services: ({ db, clock, otpSecret }: Platform & IdempotencyDependencies) => ({
    idempotency: new IdempotencyService(db, clock, createHash('sha256').update(`idempotency:${otpSecret}`).digest('hex')),
  }),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof idempotencyModule> {}
}

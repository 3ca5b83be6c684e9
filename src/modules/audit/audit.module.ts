// The audit module: the trail of who changed what. Every module records its entries through `recordAudit`
// inside the transaction of the change; only this module reads them back.
import { defineModule, type ServicesOf } from '../module.js';
import { AuditRepository } from './audit.repository.js';
import { AuditResolver } from './audit.resolver.js';
import { AuditService } from './audit.service.js';

export const auditModule = defineModule({
  name: 'audit',
  tables: ['AuditLog'],
  resolvers: [AuditResolver],
  services: ({ db }) => ({ audit: new AuditService(new AuditRepository(db)) }),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof auditModule> {}
}

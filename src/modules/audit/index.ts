// The audit module's public face: its descriptor, and for other modules `recordAudit`, which every module calls inside the transaction of the change it records.
export { auditModule } from './audit.module.js';
export { recordAudit, type AuditValues } from './audit.repository.js';

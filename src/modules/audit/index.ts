export { auditModule } from './audit.module.js';
export { AUDIT_ACTIONS, isAuditAction, type AuditAction } from './audit.actions.js';
export { AuditRepository, recordAudit, type AuditValues } from './audit.repository.js';
export { AuditResolver } from './audit.resolver.js';
export { AuditService } from './audit.service.js';
export { AuditEntry, AuditEntryConnection } from './audit.type.js';

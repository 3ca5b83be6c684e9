// The only Prisma caller for AuditLog. Every module records its entries through `recordAudit`, inside the
// transaction of the change it describes, so an entry exists exactly when the change does.
import type { Database, DatabaseClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import { keyOf, keysetOrderBy, pageWhere, type SortColumn } from '../../db/keyset.js';
import { toConnection, type PageRequest } from '../../shared/pagination.js';
import type { AuditAction } from './audit.actions.js';

/** Values of an entry's before/after: plain facts, never a secret. */
export type AuditValues = Record<string, string | number | boolean | null | readonly (string | number)[]>;

interface AuditRecord {
  /** Who did it; null for the command line and the importer. */
  actorId: string | null;
  /** Whose data changed; null when it is no one user's (a sweep, a customer without a login). */
  targetUserId: string | null;
  action: AuditAction;
  /** The row that changed. */
  subject: { type: string; id: string };
  before: AuditValues | null;
  after: AuditValues | null;
  at: Date;
}

// A key that names a secret refuses the entry: a hash, token or code in the audit trail would outlive
// the secret's own expiry and be readable by every admin.
const SECRET_KEY = /password|hash|token|secret|otp|recovery|^code$|codes$/i;

function checkNoSecrets(values: AuditValues | null): void {
  for (const key of Object.keys(values ?? {})) {
    if (SECRET_KEY.test(key)) throw new Error(`audit values must not hold secrets (${key})`);
  }
}

export async function recordAudit(db: DatabaseClient, entry: AuditRecord): Promise<void> {
  checkNoSecrets(entry.before);
  checkNoSecrets(entry.after);
  await db.auditLog.create({
    data: {
      actorUserId: entry.actorId,
      targetUserId: entry.targetUserId,
      action: entry.action,
      entityType: entry.subject.type,
      entityId: entry.subject.id,
      details: { before: entry.before, after: entry.after },
      at: entry.at,
    },
  });
}

export interface AuditFilter {
  actorId?: string;
  targetUserId?: string;
  action?: AuditAction;
  from?: Date;
  to?: Date;
}

/** Newest first; the id (UUIDv7) breaks ties between entries of one instant. */
export const AUDIT_ORDER: SortColumn[] = [
  { field: 'at', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'uuid' },
];

export class AuditRepository {
  constructor(private readonly db: Database) {}

  async page(filter: AuditFilter, request: PageRequest) {
    const where: Prisma.AuditLogWhereInput = {
      ...(filter.actorId ? { actorUserId: filter.actorId } : {}),
      ...(filter.targetUserId ? { targetUserId: filter.targetUserId } : {}),
      ...(filter.action ? { action: filter.action } : {}),
      ...(filter.from || filter.to ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } } : {}),
    };
    const [rows, totalCount] = await Promise.all([
      this.db.auditLog.findMany({
        where: { AND: [where, ...pageWhere(AUDIT_ORDER, request)] },
        orderBy: keysetOrderBy(AUDIT_ORDER, request.backward),
        take: request.size + 1,
      }),
      this.db.auditLog.count({ where }),
    ]);
    return toConnection(rows, request, totalCount, (row) => keyOf(AUDIT_ORDER, row));
  }
}

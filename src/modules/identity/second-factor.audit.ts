// Every audit entry of the second factor goes through here (enrolments, passkeys, resets), in the
// caller's transaction, with the actor, the user it concerns and what changed (never a secret or a code).
import type { DatabaseClient } from '../../db/client.js';
import { recordAudit, type AuditValues } from '../audit/index.js';

export type SecondFactorAction = 'second-factor.totp-enrolled' | 'second-factor.passkey-registered' | 'second-factor.reset';

export interface SecondFactorAuditEntry {
  actorId: string;
  targetUserId: string;
  action: SecondFactorAction;
  before: AuditValues;
  after: AuditValues;
  at: Date;
}

export async function recordSecondFactorAudit(db: DatabaseClient, entry: SecondFactorAuditEntry): Promise<void> {
  await recordAudit(db, { ...entry, subject: { type: 'User', id: entry.targetUserId } });
}

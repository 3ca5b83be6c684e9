// Claiming and settling outbox messages for the dispatcher. A claim is a lease (`lockedUntil`) taken with
// FOR UPDATE SKIP LOCKED, so several server instances never claim the same message at once, and a message
// whose dispatcher died mid-send becomes claimable again when the lease runs out.
import type { Database } from '../../db/client.js';
import type { MessageTemplate } from '../../generated/prisma/enums.js';
import { holdsSecrets, scrubSecrets } from './message.templates.js';

export interface ClaimedMessage {
  id: string;
  dedupeKey: string;
  to: string;
  channel: string;
  template: MessageTemplate;
  text: string;
  variables: Record<string, string | number>;
  createdAt: Date;
  /** Tries so far, this one included. */
  attempts: number;
  customerId: string | null;
}

export interface ClaimOptions {
  now: Date;
  leaseUntil: Date;
  limit: number;
  maxAttempts: number;
}

export class OutboxDispatchRepository {
  constructor(private readonly db: Database) {}

  async claimDue({ now, leaseUntil, limit, maxAttempts }: ClaimOptions): Promise<ClaimedMessage[]> {
    const rows = await this.db.$queryRaw<ClaimedMessage[]>`
      UPDATE "OutboxMessage" AS message
      SET "lockedUntil" = ${leaseUntil}, "attempts" = message."attempts" + 1
      WHERE message."id" IN (
        SELECT "id" FROM "OutboxMessage"
        WHERE "status" = 'PENDING' AND "nextAttemptAt" <= ${now} AND "attempts" < ${maxAttempts}
          AND ("lockedUntil" IS NULL OR "lockedUntil" <= ${now})
        ORDER BY "nextAttemptAt", "id"
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      RETURNING message."id", message."dedupeKey", message."to", message."channel"::text AS "channel",
        message."template"::text AS "template", message."text", message."variables", message."createdAt",
        message."attempts", message."customerId"`;
    return rows
      .map((row) => ({ ...row, createdAt: new Date(row.createdAt), attempts: Number(row.attempts) }))
      .sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
  }

  /** Marks the message SENT; the welcome message also sets the customer's welcomeMessageSent. */
  async markSent(message: ClaimedMessage, now: Date): Promise<void> {
    const scrubbed = holdsSecrets(message.template) ? scrubSecrets(message.template, message.variables) : null;
    await this.db.$transaction(async (tx) => {
      await tx.outboxMessage.update({
        where: { id: message.id },
        data: { status: 'SENT', sentAt: now, lockedUntil: null, lastError: null, ...(scrubbed ?? {}) },
      });
      if (message.template === 'WELCOME' && message.customerId) {
        await tx.customer.updateMany({ where: { id: message.customerId, welcomeMessageSent: false }, data: { welcomeMessageSent: true } });
      }
    });
  }

  /** Schedules the next try at `retryAt`, or gives up as FAILED when `retryAt` is null. */
  async markFailedAttempt(message: ClaimedMessage, error: string, retryAt: Date | null): Promise<void> {
    if (retryAt) {
      await this.db.outboxMessage.update({
        where: { id: message.id },
        data: { lockedUntil: null, lastError: error, nextAttemptAt: retryAt },
      });
      return;
    }
    const scrubbed = holdsSecrets(message.template) ? scrubSecrets(message.template, message.variables) : null;
    await this.db.outboxMessage.update({
      where: { id: message.id },
      data: { status: 'FAILED', lockedUntil: null, lastError: error, ...(scrubbed ?? {}) },
    });
  }

  /**
   * Messages whose last allowed try was claimed by a dispatcher that died before settling it: no try is
   * left, so once the lease has run out they are FAILED (their secrets scrubbed like any finished message).
   */
  async failAbandoned(now: Date, maxAttempts: number): Promise<number> {
    const abandoned = await this.db.outboxMessage.findMany({
      where: { status: 'PENDING', attempts: { gte: maxAttempts }, lockedUntil: { lte: now } },
      select: { id: true, template: true, variables: true },
      take: 100,
    });
    for (const message of abandoned) {
      const scrubbed = holdsSecrets(message.template)
        ? scrubSecrets(message.template, message.variables as Record<string, string | number>)
        : null;
      await this.db.outboxMessage.updateMany({
        where: { id: message.id, status: 'PENDING', lockedUntil: { lte: now } },
        data: { status: 'FAILED', lockedUntil: null, lastError: 'abandoned: no tries left after an interrupted send', ...(scrubbed ?? {}) },
      });
    }
    return abandoned.length;
  }
}

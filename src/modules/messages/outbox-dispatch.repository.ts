// Claiming and settling outbox messages for the dispatcher. A claim is a lease (`lockedUntil`) taken with
// FOR UPDATE SKIP LOCKED, so several server instances never claim the same message at once, and a message
// whose dispatcher died mid-send becomes claimable again when the lease runs out. Every write after the
// claim is fenced by the claim's attempt number and lease end: a dispatcher whose lease ran out (and whose
// message another dispatcher has claimed since) changes nothing.
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
  /** End of this claim's lease, as stored: part of the fence. */
  leaseUntil: Date;
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
        message."attempts", message."customerId", message."lockedUntil" AS "leaseUntil"`;
    return rows
      .map((row) => ({ ...row, createdAt: new Date(row.createdAt), attempts: Number(row.attempts), leaseUntil: new Date(row.leaseUntil) }))
      .sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
  }

  /** The row as this claim left it: unchanged since unless another claim has taken the message. */
  private fence(message: ClaimedMessage) {
    return { id: message.id, status: 'PENDING' as const, attempts: message.attempts, lockedUntil: message.leaseUntil };
  }

  /**
   * Marks the message SENT; the welcome message also sets the customer's welcomeMessageSent. False when
   * the claim no longer holds the message (nothing is written).
   */
  async markSent(message: ClaimedMessage, now: Date): Promise<boolean> {
    const scrubbed = holdsSecrets(message.template) ? scrubSecrets(message.template, message.variables) : null;
    return this.db.$transaction(async (tx) => {
      const marked = await tx.outboxMessage.updateMany({
        where: this.fence(message),
        data: { status: 'SENT', sentAt: now, lockedUntil: null, lastError: null, ...(scrubbed ?? {}) },
      });
      if (marked.count === 0) return false;
      if (message.template === 'WELCOME' && message.customerId) {
        await tx.customer.updateMany({ where: { id: message.customerId, welcomeMessageSent: false }, data: { welcomeMessageSent: true } });
      }
      return true;
    });
  }

  /**
   * Schedules the next try at `retryAt`, or gives up as FAILED when `retryAt` is null. False when the
   * claim no longer holds the message.
   */
  async markFailedAttempt(message: ClaimedMessage, error: string, retryAt: Date | null): Promise<boolean> {
    if (retryAt) {
      const marked = await this.db.outboxMessage.updateMany({
        where: this.fence(message),
        data: { lockedUntil: null, lastError: error, nextAttemptAt: retryAt },
      });
      return marked.count === 1;
    }
    const scrubbed = holdsSecrets(message.template) ? scrubSecrets(message.template, message.variables) : null;
    const marked = await this.db.outboxMessage.updateMany({
      where: this.fence(message),
      data: { status: 'FAILED', lockedUntil: null, lastError: error, ...(scrubbed ?? {}) },
    });
    return marked.count === 1;
  }

  /**
   * Gives a claimed message back unsent (a send aborted at shutdown, or one the lease would not cover):
   * the try does not count and the message is due again at once.
   */
  async handBack(message: ClaimedMessage): Promise<boolean> {
    const released = await this.db.outboxMessage.updateMany({
      where: this.fence(message),
      data: { lockedUntil: null, attempts: message.attempts - 1 },
    });
    return released.count === 1;
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

// Claiming and settling outbox messages for the dispatcher. A claim is a lease (`lockedUntil`) taken with
// FOR UPDATE SKIP LOCKED, so several server instances never claim the same message at once, and a message
// whose dispatcher died mid-send becomes claimable again when the lease runs out. Every write after the
// claim is fenced by the claim's attempt number and lease end: a dispatcher whose lease ran out (and whose
// message another dispatcher has claimed since) changes nothing.
import { randomBytes } from 'node:crypto';
import type { Database } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { MessageChannel } from '../../generated/prisma/enums.js';
import type { SendResult } from './message.channels.js';
import { holdsSecrets, scrubSecrets } from './message.templates.js';

export interface ClaimedMessage {
  id: string;
  dedupeKey: string;
  to: string;
  channel: string;
  template: string;
  text: string;
  variables: Record<string, string | number>;
  createdAt: Date;
  /** Tries so far, this one included. */
  attempts: number;
  customerId: string | null;
  /** When the code or token it carries expires; null for other messages. */
  expiresAt: Date | null;
  /** End of this claim's lease, as stored: part of the fence. */
  leaseUntil: Date;
  /** The channel of this try when an earlier one chose it (SMS after WhatsApp); null on the first. */
  deliveryChannel: MessageChannel | null;
  /** The message's customer agreed to WhatsApp messages. */
  whatsappOptIn: boolean;
}

/** What a channel's acceptance of a try records. */
interface SentTry extends SendResult {
  channel: MessageChannel;
  /** When a try still waiting for its DELIVERED report is followed by SMS (WhatsApp only). */
  fallbackAt: Date | null;
}

interface TryRecord {
  channel: MessageChannel;
  provider: string;
  providerMessageId: string | null;
  status: 'SENT' | 'FAILED';
  error: string | null;
}

/** A time-ordered UUID (version 7), as Prisma's `uuid(7)` default makes for rows it creates itself. */
function uuidv7(): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(Date.now(), 0, 6);
  bytes[6] = (bytes[6] & 0x0f) | 0x70;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** A try the channel refused. */
interface FailedTry {
  channel: MessageChannel;
  provider: SendResult['provider'];
  error: string;
}

type Scrubbable = { template: string; variables: unknown; text: string };

/** What a finished message keeps: its secrets removed (nothing when it held none). */
function scrubbed(message: Scrubbable) {
  return holdsSecrets(message.template) ? scrubSecrets(message.template, message.variables as Record<string, string | number>, message.text) : {};
}

interface ClaimOptions {
  now: Date;
  leaseUntil: Date;
  limit: number;
  maxAttempts: number;
}

/** A message WhatsApp did not deliver, due again now on SMS as a fresh first try. */
export function smsFallback(now: Date, reason: string) {
  return { status: 'PENDING', deliveryChannel: 'SMS', fallbackAt: null, attempts: 0, lockedUntil: null, nextAttemptAt: now, lastError: reason } as const;
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
        message."attempts", message."customerId", message."expiresAt", message."lockedUntil" AS "leaseUntil",
        message."deliveryChannel"::text AS "deliveryChannel",
        COALESCE((SELECT customer."whatsappOptIn" FROM "Customer" AS customer WHERE customer."id" = message."customerId"), false) AS "whatsappOptIn"`;
    return rows
      .map((row) => ({
        ...row,
        createdAt: new Date(row.createdAt),
        attempts: Number(row.attempts),
        leaseUntil: new Date(row.leaseUntil),
        expiresAt: row.expiresAt === null ? null : new Date(row.expiresAt),
        whatsappOptIn: Boolean(row.whatsappOptIn),
      }))
      .sort((left, right) => left.createdAt.getTime() - right.createdAt.getTime());
  }

  /** Whether the message's customer has marketing consent now (false for a message to no customer). */
  async hasMarketingConsent(message: ClaimedMessage): Promise<boolean> {
    if (!message.customerId) return false;
    const customer = await this.db.customer.findUnique({ where: { id: message.customerId }, select: { marketingConsent: true } });
    return customer?.marketingConsent === true;
  }

  /** The row as this claim left it: unchanged since unless another claim has taken the message. */
  private fence(message: ClaimedMessage) {
    return { id: message.id, status: 'PENDING' as const, attempts: message.attempts, lockedUntil: message.leaseUntil };
  }

  /**
   * Settles this claim's message with `set` and records the try, in one statement (no transaction: a
   * dispatcher settles a whole batch, and on the embedded database every statement saved is time saved
   * on its lease). For a SENT welcome message the same statement sets the customer's welcomeMessageSent.
   * False when the claim no longer holds the message (nothing is written).
   */
  private async settle(message: ClaimedMessage, set: Prisma.Sql, attempt: TryRecord, now: Date): Promise<boolean> {
    const welcome =
      attempt.status === 'SENT'
        ? Prisma.sql`, welcomed AS (
          UPDATE "Customer" SET "welcomeMessageSent" = true, "updatedAt" = ${now}
          WHERE "id" = (SELECT "customerId" FROM marked WHERE "template" = 'WELCOME') AND "welcomeMessageSent" = false
        )`
        : Prisma.empty;
    const rows = await this.db.$queryRaw<{ marked: number }[]>`
      WITH marked AS (
        UPDATE "OutboxMessage" SET ${set}
        WHERE "id" = ${message.id}::uuid AND "status" = 'PENDING' AND "attempts" = ${message.attempts}
          AND "lockedUntil" = ${message.leaseUntil}::timestamptz
        RETURNING "id", "template", "customerId"
      ), tried AS (
        INSERT INTO "MessageAttempt" ("id", "messageId", "channel", "template", "provider", "providerMessageId", "status", "error", "createdAt", "updatedAt")
        SELECT ${uuidv7()}::uuid, marked."id", ${attempt.channel}::"MessageChannel", marked."template", ${attempt.provider}::text, ${attempt.providerMessageId}::text,
          ${attempt.status}::"MessageAttemptStatus", ${attempt.error}::text, ${now}::timestamptz, ${now}::timestamptz
        FROM marked
        ON CONFLICT ("provider", "providerMessageId") DO NOTHING
      )${welcome}
      SELECT count(*)::int AS "marked" FROM marked`;
    return Number(rows[0]?.marked ?? 0) === 1;
  }

  /** The SET of a finished message holding secrets (the same scrubbing as `scrubbed`, as SQL). */
  private scrubbed(message: ClaimedMessage): Prisma.Sql {
    if (!holdsSecrets(message.template)) return Prisma.empty;
    const { text, variables } = scrubbed(message) as { text: string; variables: Record<string, unknown> };
    return Prisma.sql`, "text" = ${text}, "variables" = ${JSON.stringify(variables)}::jsonb`;
  }

  /**
   * Marks the message SENT on the channel of this try and records the try; the welcome message also sets
   * the customer's welcomeMessageSent. False when the claim no longer holds the message (nothing is written).
   */
  markSent(message: ClaimedMessage, now: Date, sent: SentTry): Promise<boolean> {
    return this.settle(
      message,
      Prisma.sql`"status" = 'SENT', "sentAt" = ${now}::timestamptz, "lockedUntil" = NULL, "lastError" = NULL,
        "deliveryChannel" = ${sent.channel}::"MessageChannel", "fallbackAt" = ${sent.fallbackAt}::timestamptz${this.scrubbed(message)}`,
      { channel: sent.channel, provider: sent.provider, providerMessageId: sent.providerMessageId, status: 'SENT', error: null },
      now,
    );
  }

  /**
   * A WhatsApp try the channel refused: the message goes on to SMS at once, with the tries of a fresh
   * channel. False when the claim no longer holds the message.
   */
  fallBack(message: ClaimedMessage, failed: FailedTry, now: Date): Promise<boolean> {
    return this.settle(
      message,
      Prisma.sql`"deliveryChannel" = 'SMS', "attempts" = 0, "lockedUntil" = NULL, "nextAttemptAt" = ${now}::timestamptz, "lastError" = ${failed.error}`,
      { channel: failed.channel, provider: failed.provider, providerMessageId: null, status: 'FAILED', error: failed.error },
      now,
    );
  }

  /**
   * WhatsApp messages whose fallback time has come without a DELIVERED report: due again at once, by SMS.
   * One statement, so a report that arrives meanwhile either wins (DELIVERED, nothing more is sent) or
   * finds the message gone on to SMS (and changes nothing).
   */
  async fallBackOverdue(now: Date): Promise<number> {
    const moved = await this.db.outboxMessage.updateMany({
      where: { status: 'SENT', deliveryChannel: 'WHATSAPP', fallbackAt: { lte: now } },
      data: smsFallback(now, 'not delivered by WhatsApp in time'),
    });
    return moved.count;
  }

  /**
   * Schedules the next try at `retryAt`, or gives up as FAILED when `retryAt` is null. False when the
   * claim no longer holds the message.
   */
  markFailedAttempt(message: ClaimedMessage, failed: FailedTry, retryAt: Date | null, now: Date): Promise<boolean> {
    const set = retryAt
      ? Prisma.sql`"lockedUntil" = NULL, "lastError" = ${failed.error}, "nextAttemptAt" = ${retryAt}::timestamptz, "deliveryChannel" = ${failed.channel}::"MessageChannel"`
      : Prisma.sql`"status" = 'FAILED', "lockedUntil" = NULL, "lastError" = ${failed.error}, "deliveryChannel" = ${failed.channel}::"MessageChannel"${this.scrubbed(message)}`;
    return this.settle(
      message,
      set,
      { channel: failed.channel, provider: failed.provider, providerMessageId: null, status: 'FAILED', error: failed.error },
      now,
    );
  }

  /**
   * Settles the message unsent: EXPIRED (its code expired first) or SUPPRESSED (a promotional message
   * to a customer without marketing consent), its secrets scrubbed. False when the claim no longer holds it.
   */
  async settleUnsent(message: ClaimedMessage, status: 'EXPIRED' | 'SUPPRESSED', reason: string): Promise<boolean> {
    const marked = await this.db.outboxMessage.updateMany({
      where: this.fence(message),
      data: { status, lockedUntil: null, lastError: reason, ...scrubbed(message) },
    });
    return marked.count === 1;
  }

  /** Moves the message to `until` unsent (quiet hours): the try does not count. */
  async defer(message: ClaimedMessage, until: Date): Promise<boolean> {
    const moved = await this.db.outboxMessage.updateMany({
      where: this.fence(message),
      data: { lockedUntil: null, attempts: message.attempts - 1, nextAttemptAt: until },
    });
    return moved.count === 1;
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
      select: { id: true, template: true, variables: true, text: true },
      take: 100,
    });
    for (const message of abandoned) {
      await this.db.outboxMessage.updateMany({
        where: { id: message.id, status: 'PENDING', lockedUntil: { lte: now } },
        data: { status: 'FAILED', lockedUntil: null, lastError: 'abandoned: no tries left after an interrupted send', ...scrubbed(message) },
      });
    }
    return abandoned.length;
  }
}

// Applying delivery reports to tries and messages. A try's status only moves forward, SENT → UNDELIVERED
// → DELIVERED (a phone that has the message has it, whatever a late failure report says), each move a
// compare-and-set, so the same report twice changes nothing and reports in any order end in the same
// state. A message follows the try of its current channel:
//   DELIVERED   the message is DELIVERED; a WhatsApp DELIVERED also cancels an SMS fallback not yet
//               claimed by a dispatcher (so no SMS follows a delivered WhatsApp message), and changes
//               nothing once the SMS has gone (no third message).
//   UNDELIVERED a WhatsApp message goes on to SMS at once; an SMS or email message is UNDELIVERED.
import type { Database, DatabaseClient } from '../../db/client.js';
import type { MessageAttemptStatus, MessageChannel } from '../../generated/prisma/enums.js';
import type { DeliveryReport, ReportedStatus } from './message.receipts.js';
import { smsFallback } from './outbox-dispatch.repository.js';

export type ReportOutcome = 'applied' | 'unchanged' | 'unknown';

const RANK: Record<MessageAttemptStatus, number> = { FAILED: 0, SENT: 1, UNDELIVERED: 2, DELIVERED: 3 };

interface TryRow {
  id: string;
  messageId: string;
  channel: MessageChannel;
  status: MessageAttemptStatus;
}

export class MessageReceiptRepository {
  constructor(private readonly db: Database) {}

  private findTry(report: DeliveryReport): Promise<TryRow | null> {
    const select = { id: true, messageId: true, channel: true, status: true } as const;
    if (report.providerMessageId) {
      return this.db.messageAttempt.findUnique({
        where: { provider_providerMessageId: { provider: report.provider, providerMessageId: report.providerMessageId } },
        select,
      });
    }
    return this.db.messageAttempt.findFirst({
      where: { messageId: report.messageId, channel: report.channel, provider: 'generic', status: { not: 'FAILED' } },
      orderBy: { createdAt: 'desc' },
      select,
    });
  }

  async apply(report: DeliveryReport, now: Date): Promise<ReportOutcome> {
    // A concurrent report may move the try between the read and the write: read again (a few times at most).
    for (let round = 0; round < 3; round += 1) {
      const found = await this.findTry(report);
      if (!found) return 'unknown';
      if (found.status === 'FAILED' || RANK[report.status] <= RANK[found.status]) return 'unchanged';
      const applied = await this.db.$transaction(async (tx) => {
        const moved = await tx.messageAttempt.updateMany({
          where: { id: found.id, status: found.status },
          data: { status: report.status, updatedAt: now, ...(report.error ? { error: report.error } : {}) },
        });
        if (moved.count === 0) return false;
        await this.settleMessage(tx, found, report.status, now);
        return true;
      });
      if (applied) return 'applied';
    }
    return 'unchanged';
  }

  private async settleMessage(tx: DatabaseClient, found: TryRow, status: ReportedStatus, now: Date): Promise<void> {
    if (status === 'DELIVERED') {
      await tx.outboxMessage.updateMany({
        where: { id: found.messageId, deliveryChannel: found.channel, status: { in: ['SENT', 'UNDELIVERED'] } },
        data: { status: 'DELIVERED', deliveredAt: now, fallbackAt: null },
      });
      if (found.channel === 'WHATSAPP') {
        // The SMS fallback is queued but no dispatcher holds it: it is not sent.
        await tx.outboxMessage.updateMany({
          where: { id: found.messageId, status: 'PENDING', deliveryChannel: 'SMS', lockedUntil: null },
          data: { status: 'DELIVERED', deliveryChannel: 'WHATSAPP', deliveredAt: now, lastError: null },
        });
      }
      return;
    }
    if (status !== 'UNDELIVERED') return;
    if (found.channel === 'WHATSAPP') {
      await tx.outboxMessage.updateMany({
        where: { id: found.messageId, status: 'SENT', deliveryChannel: 'WHATSAPP' },
        data: smsFallback(now, 'WhatsApp reported the message undelivered'),
      });
      return;
    }
    await tx.outboxMessage.updateMany({
      where: { id: found.messageId, status: 'SENT', deliveryChannel: found.channel },
      data: { status: 'UNDELIVERED', lastError: 'reported undelivered' },
    });
  }
}

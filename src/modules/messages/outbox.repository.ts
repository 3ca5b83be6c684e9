// The transactional outbox (SPEC §7): a message is written in the same transaction as the change that
// causes it, under a unique dedupe key, so a replayed event queues nothing new. Its text is rendered from
// the catalogue now, so a value that cannot be sent fails the change that causes it, not a later send; a
// promotional message queued outside 09:00–21:00 IST is due at the next 09:00 IST.
import type { DatabaseClient } from '../../db/client.js';
import type { MessageChannel } from '../../generated/prisma/enums.js';
import type { MessageTemplate } from './message.catalogue.js';
import { earliestSendingTime } from './message.schedule.js';
import { renderMessage } from './message.templates.js';

export interface NewMessage {
  dedupeKey: string;
  to: string;
  channel: MessageChannel;
  template: MessageTemplate;
  variables: Record<string, string | number>;
  customerId?: string | null;
  userId?: string | null;
  at: Date;
  /** When the code or token it carries expires: the message is EXPIRED, not sent, from then on. */
  expiresAt?: Date;
}

/** Queues the message unless one with the same dedupe key exists; returns whether it was queued. */
export async function enqueueMessage(db: DatabaseClient, message: NewMessage): Promise<boolean> {
  return (await enqueueMessages(db, [message])) === 1;
}

/** Queues many messages in one statement (the inactivity sweep); returns how many were new. */
export async function enqueueMessages(db: DatabaseClient, messages: NewMessage[]): Promise<number> {
  if (messages.length === 0) return 0;
  const result = await db.outboxMessage.createMany({
    data: messages.map((message) => {
      const rendered = renderMessage(message.template, message.channel, message.variables);
      return {
        dedupeKey: message.dedupeKey,
        to: message.to,
        channel: message.channel,
        template: message.template,
        text: rendered.text,
        variables: message.variables,
        customerId: message.customerId ?? null,
        userId: message.userId ?? null,
        createdAt: message.at,
        nextAttemptAt: earliestSendingTime(rendered.category, message.at),
        expiresAt: message.expiresAt ?? null,
      };
    }),
    skipDuplicates: true,
  });
  return result.count;
}

/** Where a customer is reached: SMS to the phone when there is one, else email. */
export function customerAddress(contact: { phone: string | null; email: string | null }): { to: string; channel: MessageChannel } | null {
  if (contact.phone) return { to: contact.phone, channel: 'SMS' };
  if (contact.email) return { to: contact.email, channel: 'EMAIL' };
  return null;
}

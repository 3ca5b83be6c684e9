// The messages module: the outbox of customer messages, its dispatcher and the gateways' delivery receipts.
// Other modules queue messages only through `enqueueMessage(s)`, inside their own transaction.
import { defineModule, type ServicesOf } from '../module.js';
import { MessageReceiptRepository } from './message-receipt.repository.js';
import { MessageReceiptService } from './message-receipt.service.js';
import { createMessageSender } from './message.channels.js';
import { OutboxDispatchRepository } from './outbox-dispatch.repository.js';
import { MessageDispatcher } from './outbox.dispatcher.js';

export const messagesModule = defineModule({
  name: 'messages',
  // welcomeMessageSent is set in the statement that settles the WELCOME message's successful try.
  tables: ['OutboxMessage', 'MessageAttempt', 'Customer.welcomeMessageSent'],
  resolvers: [],
  services: ({ config, db, clock, log }) => ({
    messageDispatcher: new MessageDispatcher({
      repository: new OutboxDispatchRepository(db),
      sender: createMessageSender(config, log),
      clock,
      log,
      maxAttempts: config.MESSAGE_MAX_ATTEMPTS,
      pollMs: config.MESSAGE_POLL_MS,
      whatsappFallbackMs: config.MESSAGE_WHATSAPP_FALLBACK_SECONDS * 1000,
    }),
    messageReceipts: new MessageReceiptService(new MessageReceiptRepository(db), clock, log, {
      webhookSecret: config.MESSAGE_WEBHOOK_SECRET,
      whatsappAppSecret: config.MESSAGE_WHATSAPP_APP_SECRET,
      whatsappVerifyToken: config.MESSAGE_WHATSAPP_VERIFY_TOKEN,
    }),
  }),
});

// What this module adds to every request's context (src/modules/context.ts).
declare module '../context.js' {
  interface Services extends ServicesOf<typeof messagesModule> {}
}

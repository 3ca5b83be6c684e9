// The messages module's public face: its descriptor, and for other modules the outbox (`enqueueMessage(s)`) and what the server mounts (receipts, catalogue).
export { messagesModule } from './messages.module.js';
export { WebhookChannel } from './message.channels.js';
export { isReceiptProvider as isReceiptProviderName } from './message-receipt.service.js';
export { ReceiptRefused, sign as signReport } from './message.receipts.js';
export { CatalogueError, DEFAULT_TEMPLATES_FILE, loadMessageCatalogue, type MessageCatalogue } from './message.catalogue.js';
export { messageCatalogue, useMessageCatalogue } from './message.templates.js';
export { OutboxDispatchRepository } from './outbox-dispatch.repository.js';
export { MessageDispatcher, retryDelayMs } from './outbox.dispatcher.js';
export { customerAddress, enqueueMessage, enqueueMessages, type NewMessage } from './outbox.repository.js';

export { messagesModule } from './messages.module.js';
export { createMessageSender, WebhookChannel, type MessagePayload, type MessageSender, type OutgoingMessage, type SendResult } from './message.channels.js';
export { Msg91Channel, WhatsAppChannel } from './message.gateways.js';
export { MessageReceiptRepository } from './message-receipt.repository.js';
export { isReceiptProvider as isReceiptProviderName, MessageReceiptService } from './message-receipt.service.js';
export { ReceiptRefused, sign as signReport } from './message.receipts.js';
export {
  CatalogueError,
  DEFAULT_TEMPLATES_FILE,
  loadMessageCatalogue,
  type MessageCatalogue,
  type MessageCategory,
  type MessageTemplate,
} from './message.catalogue.js';
export { earliestSendingTime } from './message.schedule.js';
export { messageCatalogue, renderMessage, scrubSecrets, templateCategory, useMessageCatalogue, type RenderedMessage } from './message.templates.js';
export { OutboxDispatchRepository, type ClaimedMessage } from './outbox-dispatch.repository.js';
export { MessageDispatcher, retryDelayMs } from './outbox.dispatcher.js';
export { customerAddress, enqueueMessage, enqueueMessages, type NewMessage } from './outbox.repository.js';

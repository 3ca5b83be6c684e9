export { createMessageSender, LogChannel, WebhookChannel, type MessagePayload, type MessageSender } from './message.channels.js';
export { renderMessage, scrubSecrets } from './message.templates.js';
export { OutboxDispatchRepository, type ClaimedMessage } from './outbox-dispatch.repository.js';
export { MessageDispatcher, retryDelayMs, type DispatchResult } from './outbox.dispatcher.js';
export { customerAddress, enqueueMessage, enqueueMessages, type NewMessage } from './outbox.repository.js';

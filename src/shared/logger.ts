// The logger type every layer writes to; src/server/logger.ts creates it (pino, with secrets redacted).
export type { Logger } from 'pino';

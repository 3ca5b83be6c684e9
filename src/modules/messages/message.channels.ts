// The delivery channels of SPEC §7. Both carry the same JSON object; the webhook is how SMS/WhatsApp/email
// gateways are reached, the log channel is the development stand-in for one.
import { closeSync, fchmodSync, fstatSync, openSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import type { Logger } from '../../server/logger.js';

export interface MessagePayload {
  id: string;
  dedupeKey: string;
  to: string;
  channel: string;
  template: string;
  text: string;
  variables: Record<string, unknown>;
  createdAt: string;
}

export interface MessageSender {
  readonly name: 'log' | 'webhook';
  /** The longest one send may take: the dispatcher starts a send only while its lease outlasts this. */
  readonly timeoutMs: number;
  /** Resolves once the channel has accepted the message; rejects when it must be retried or `signal` aborts it. */
  send(payload: MessagePayload, signal?: AbortSignal): Promise<void>;
}

/** The message log holds OTP codes and reset tokens: owner read/write only, like the JWT secret file. */
const MESSAGE_LOG_MODE = 0o600;

/**
 * Creates the message log at start-up with mode 0600, so that a bad path fails now rather than at the
 * first message. A regular file already there that others may read is tightened to 0600 and a warning
 * names it (what it held may have been read; codes and tokens expire within 30 minutes). One this process
 * cannot tighten stops the start.
 */
export function prepareMessageLog(file: string, log?: Logger): void {
  const descriptor = openSync(file, 'a', MESSAGE_LOG_MODE);
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || (stats.mode & 0o077) === 0) return;
    try {
      fchmodSync(descriptor, MESSAGE_LOG_MODE);
    } catch (error) {
      throw new Error(`MESSAGE_LOG_FILE ${file} is readable by other users and cannot be made private (${(error as NodeJS.ErrnoException).code}): run chmod 600 on it`);
    }
    log?.warn({ file, mode: (stats.mode & 0o777).toString(8) }, 'MESSAGE_LOG_FILE was readable by other users: now 0600');
  } finally {
    closeSync(descriptor);
  }
}

/** One JSON line per message, appended to a file when one is configured, else written to stdout. */
export class LogChannel implements MessageSender {
  readonly name = 'log' as const;
  // A local append: nothing to wait for that a lease could run out on.
  readonly timeoutMs = 0;

  constructor(private readonly file: string | undefined) {}

  async send(payload: MessagePayload): Promise<void> {
    const line = `${JSON.stringify(payload)}\n`;
    if (this.file) {
      // The mode matters when the file was removed (rotated) since start-up and is created again here.
      await appendFile(this.file, line, { encoding: 'utf8', mode: MESSAGE_LOG_MODE });
      return;
    }
    await new Promise<void>((resolve, reject) => process.stdout.write(line, (error) => (error ? reject(error) : resolve())));
  }
}

export class WebhookError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WebhookError';
  }
}

/**
 * POSTs the message to the gateway. The dedupe key travels in the body and as `Idempotency-Key`, so a
 * gateway can drop the second copy of a message resent after a crash between sending and marking it sent.
 */
export class WebhookChannel implements MessageSender {
  readonly name = 'webhook' as const;

  constructor(
    private readonly url: string,
    readonly timeoutMs = 10_000,
  ) {}

  async send(payload: MessagePayload, signal?: AbortSignal): Promise<void> {
    const timeout = AbortSignal.timeout(this.timeoutMs);
    let response: Response;
    try {
      response = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': payload.dedupeKey },
        body: JSON.stringify(payload),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      // Only the failure's kind: a gateway error must not echo the message (it may hold an OTP code).
      throw new WebhookError(`webhook unreachable: ${(error as Error).name}`);
    }
    await response.body?.cancel().catch(() => {});
    if (!response.ok) throw new WebhookError(`webhook answered HTTP ${response.status}`);
  }
}

export function createMessageSender(
  config: {
    MESSAGE_CHANNEL: 'log' | 'webhook';
    MESSAGE_WEBHOOK_URL?: string;
    MESSAGE_LOG_FILE?: string;
  },
  log?: Logger,
): MessageSender {
  if (config.MESSAGE_CHANNEL === 'webhook') {
    if (!config.MESSAGE_WEBHOOK_URL) throw new Error('MESSAGE_WEBHOOK_URL is required when MESSAGE_CHANNEL=webhook');
    return new WebhookChannel(config.MESSAGE_WEBHOOK_URL);
  }
  if (config.MESSAGE_LOG_FILE) prepareMessageLog(config.MESSAGE_LOG_FILE, log);
  return new LogChannel(config.MESSAGE_LOG_FILE);
}

// The delivery channels of SPEC §7. `log` and `webhook` carry the same JSON object for every channel; the
// log channel is the development stand-in for a gateway. `gateways` (message.gateways.ts) sends each
// channel through its own provider. A sender takes a message already rendered: its text, its category
// and, for SMS, its DLT registration as an opaque object the SMS provider passes on.
import { closeSync, fchmodSync, fstatSync, openSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import type { MessageChannel } from '../../generated/prisma/enums.js';
import type { Logger } from '../../shared/logger.js';
import { GatewaySender, Msg91Channel, WhatsAppChannel } from './message.gateways.js';
import type { MessageCategory } from './message.catalogue.js';

export interface MessagePayload {
  id: string;
  dedupeKey: string;
  to: string;
  channel: string;
  template: string;
  /** transactional | service | promotional, from the catalogue. */
  category: string;
  text: string;
  variables: Record<string, unknown>;
  createdAt: string;
  /** SMS: the DLT registration (principal entity, sender header, content template) the text matches. */
  dlt?: { entityId: string; header: string; templateId: string };
  /** Email: the subject line. */
  subject?: string;
  /** WhatsApp: the approved template and its body parameters in order. */
  whatsapp?: { name: string; language: string; parameters: string[] };
}

/** A message on its way out: the JSON object of SPEC §7 (its `channel` the one of this try) and what a provider needs besides. */
export interface OutgoingMessage extends MessagePayload {
  category: MessageCategory;
}

/** Who accepted a message, and the id its delivery reports will name (null: they name the message's own id). */
export interface SendResult {
  provider: 'log' | 'generic' | 'msg91' | 'whatsapp';
  providerMessageId: string | null;
}

export interface MessageSender {
  readonly name: 'log' | 'webhook' | 'gateways';
  /** The longest one send may take: the dispatcher starts a send only while its lease outlasts this. */
  readonly timeoutMs: number;
  /** Whether transactional messages to customers who opted in go by WhatsApp first (SMS after). */
  readonly sendsWhatsApp: boolean;
  /** Whose delivery reports settle a try on this channel. */
  providerFor(channel: MessageChannel): SendResult['provider'];
  /** Resolves once the channel has accepted the message; rejects when it must be retried or `signal` aborts it. */
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult>;
}

/** The SPEC §7 object alone: what the log and generic webhooks carry. */
function publicPayload(message: OutgoingMessage): MessagePayload {
  const { id, dedupeKey, to, channel, template, category, text, variables, createdAt, dlt, subject, whatsapp } = message;
  return {
    id,
    dedupeKey,
    to,
    channel,
    template,
    category,
    text,
    variables,
    createdAt,
    ...(dlt ? { dlt } : {}),
    ...(subject ? { subject } : {}),
    ...(whatsapp ? { whatsapp } : {}),
  };
}

/** The message log holds OTP codes and reset tokens: owner read/write only, like the JWT secret file. */
const MESSAGE_LOG_MODE = 0o600;

/**
 * Creates the message log at start-up with mode 0600, so that a bad path fails now rather than at the
 * first message. A regular file already there that others may read is tightened to 0600 and a warning
 * names it (what it held may have been read; codes and tokens expire within 30 minutes). One this process
 * cannot tighten stops the start.
 */
function prepareMessageLog(file: string, log?: Logger): void {
  const descriptor = openSync(file, 'a', MESSAGE_LOG_MODE);
  try {
    const stats = fstatSync(descriptor);
    if (!stats.isFile() || (stats.mode & 0o077) === 0) return;
    try {
      fchmodSync(descriptor, MESSAGE_LOG_MODE);
    } catch (error) {
      throw new Error(
        `MESSAGE_LOG_FILE ${file} is readable by other users and cannot be made private (${(error as NodeJS.ErrnoException).code}): run chmod 600 on it`,
      );
    }
    log?.warn({ file, mode: (stats.mode & 0o777).toString(8) }, 'MESSAGE_LOG_FILE was readable by other users: now 0600');
  } finally {
    closeSync(descriptor);
  }
}

/** One JSON line per message, appended to a file when one is configured, else written to stdout. */
class LogChannel implements MessageSender {
  readonly name = 'log' as const;
  // A local append: nothing to wait for that a lease could run out on.
  readonly timeoutMs = 0;
  readonly sendsWhatsApp = false;
  readonly provider = 'log' as const;

  constructor(private readonly file: string | undefined) {}

  providerFor(): 'log' {
    return 'log';
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const line = `${JSON.stringify(publicPayload(message))}\n`;
    if (this.file) {
      // The mode matters when the file was removed (rotated) since start-up and is created again here.
      await appendFile(this.file, line, { encoding: 'utf8', mode: MESSAGE_LOG_MODE });
    } else {
      await new Promise<void>((resolve, reject) => process.stdout.write(line, (error) => (error ? reject(error) : resolve())));
    }
    return { provider: 'log', providerMessageId: null };
  }
}

class WebhookError extends Error {
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
  readonly sendsWhatsApp = false;
  readonly provider = 'generic' as const;

  constructor(
    private readonly url: string,
    readonly timeoutMs = 10_000,
  ) {}

  providerFor(): 'generic' {
    return 'generic';
  }

  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult> {
    const payload = publicPayload(message);
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
    return { provider: 'generic', providerMessageId: null };
  }
}

interface ChannelSettings {
  MESSAGE_CHANNEL: 'log' | 'webhook' | 'gateways';
  MESSAGE_WEBHOOK_URL?: string;
  MESSAGE_LOG_FILE?: string;
  MESSAGE_SEND_TIMEOUT_MS?: number;
  MESSAGE_WHATSAPP_URL?: string;
  MESSAGE_WHATSAPP_PHONE_NUMBER_ID?: string;
  MESSAGE_WHATSAPP_ACCESS_TOKEN?: string;
  MESSAGE_WHATSAPP_LANGUAGE?: string;
  MESSAGE_SMS_PROVIDER?: 'webhook' | 'msg91';
  MESSAGE_SMS_URL?: string;
  MESSAGE_MSG91_AUTH_KEY?: string;
  MESSAGE_MSG91_SENDER?: string;
  MESSAGE_EMAIL_URL?: string;
}

export function createMessageSender(config: ChannelSettings, log?: Logger): MessageSender {
  const timeoutMs = config.MESSAGE_SEND_TIMEOUT_MS ?? 10_000;
  if (config.MESSAGE_CHANNEL === 'webhook') {
    if (!config.MESSAGE_WEBHOOK_URL) throw new Error('MESSAGE_WEBHOOK_URL is required when MESSAGE_CHANNEL=webhook');
    return new WebhookChannel(config.MESSAGE_WEBHOOK_URL, timeoutMs);
  }
  if (config.MESSAGE_CHANNEL === 'gateways') {
    if (!config.MESSAGE_EMAIL_URL) throw new Error('MESSAGE_EMAIL_URL is required when MESSAGE_CHANNEL=gateways');
    const whatsapp =
      config.MESSAGE_WHATSAPP_PHONE_NUMBER_ID && config.MESSAGE_WHATSAPP_ACCESS_TOKEN
        ? new WhatsAppChannel({
            baseUrl: config.MESSAGE_WHATSAPP_URL ?? 'https://graph.facebook.com/v21.0',
            phoneNumberId: config.MESSAGE_WHATSAPP_PHONE_NUMBER_ID,
            accessToken: config.MESSAGE_WHATSAPP_ACCESS_TOKEN,
            language: config.MESSAGE_WHATSAPP_LANGUAGE ?? 'en',
            timeoutMs,
          })
        : null;
    let sms: Msg91Channel | WebhookChannel;
    if (config.MESSAGE_SMS_PROVIDER === 'msg91') {
      if (!config.MESSAGE_MSG91_AUTH_KEY || !config.MESSAGE_MSG91_SENDER)
        throw new Error('MESSAGE_MSG91_AUTH_KEY and MESSAGE_MSG91_SENDER are required when MESSAGE_SMS_PROVIDER=msg91');
      sms = new Msg91Channel({
        baseUrl: config.MESSAGE_SMS_URL ?? 'https://control.msg91.com',
        authKey: config.MESSAGE_MSG91_AUTH_KEY,
        sender: config.MESSAGE_MSG91_SENDER,
        timeoutMs,
      });
    } else {
      if (!config.MESSAGE_SMS_URL) throw new Error('MESSAGE_SMS_URL is required when MESSAGE_SMS_PROVIDER=webhook');
      sms = new WebhookChannel(config.MESSAGE_SMS_URL, timeoutMs);
    }
    return new GatewaySender({ whatsapp, sms, email: new WebhookChannel(config.MESSAGE_EMAIL_URL, timeoutMs) });
  }
  if (config.MESSAGE_LOG_FILE) prepareMessageLog(config.MESSAGE_LOG_FILE, log);
  return new LogChannel(config.MESSAGE_LOG_FILE);
}

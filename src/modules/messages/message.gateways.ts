// The providers behind MESSAGE_CHANNEL=gateways: WhatsApp through the Cloud API, SMS through MSG91 (or a
// generic webhook), email through a generic webhook. Each answers with the id its delivery reports will
// name. Failures carry only their kind and the provider's status or error code, never the message (it may
// hold an OTP code) nor the provider's own wording.
import type { MessageChannel } from '../../generated/prisma/enums.js';
import type { MessageSender, OutgoingMessage, SendResult } from './message.channels.js';

class ChannelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ChannelError';
  }
}

interface JsonAnswer {
  status: number;
  body: unknown;
}

/** POSTs JSON and reads the answer (at most 64 KB of it); unreachable, timed-out and aborted sends throw. */
async function postJson(
  provider: string,
  url: string,
  headers: Record<string, string>,
  body: unknown,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<JsonAnswer> {
  const timeout = AbortSignal.timeout(timeoutMs);
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    text = (await response.text()).slice(0, 64 * 1024);
  } catch (error) {
    throw new ChannelError(`${provider} unreachable: ${(error as Error).name}`);
  }
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  return { status: response.status, body: parsed };
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The digits of an E.164 number, as WhatsApp and MSG91 take it (`+919876543210` → `919876543210`). */
function internationalDigits(phone: string): string {
  return phone.replace(/^\+/, '');
}

interface WhatsAppSettings {
  baseUrl: string;
  phoneNumberId: string;
  accessToken: string;
  language: string;
  timeoutMs: number;
}

/**
 * `POST {base}/{phone-number-id}/messages` with a template message (WhatsApp allows free text only inside
 * a conversation the customer opened). The answer's `messages[0].id` (a wamid) is what the `statuses`
 * webhook reports on.
 */
export class WhatsAppChannel {
  readonly provider = 'whatsapp' as const;

  constructor(private readonly settings: WhatsAppSettings) {}

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult> {
    const template = { name: message.whatsapp?.name ?? message.template.toLowerCase(), parameters: message.whatsapp?.parameters ?? [] };
    const url = `${this.settings.baseUrl.replace(/\/+$/, '')}/${this.settings.phoneNumberId}/messages`;
    const answer = await postJson(
      'whatsapp',
      url,
      { authorization: `Bearer ${this.settings.accessToken}` },
      {
        messaging_product: 'whatsapp',
        recipient_type: 'individual',
        to: internationalDigits(message.to),
        type: 'template',
        template: {
          name: template.name,
          language: { code: this.settings.language },
          components: template.parameters.length > 0 ? [{ type: 'body', parameters: template.parameters.map((text) => ({ type: 'text', text })) }] : [],
        },
      },
      this.settings.timeoutMs,
      signal,
    );
    if (answer.status < 200 || answer.status >= 300) {
      const code = isRecord(answer.body) && isRecord(answer.body.error) ? answer.body.error.code : undefined;
      throw new ChannelError(`whatsapp answered HTTP ${answer.status}${typeof code === 'number' ? ` (error ${code})` : ''}`);
    }
    const messages = isRecord(answer.body) ? answer.body.messages : undefined;
    const id = Array.isArray(messages) && isRecord(messages[0]) ? messages[0].id : undefined;
    if (typeof id !== 'string' || id.length === 0 || id.length > 200) throw new ChannelError('whatsapp answered without a message id');
    return { provider: 'whatsapp', providerMessageId: id };
  }
}

interface Msg91Settings {
  baseUrl: string;
  authKey: string;
  sender: string;
  timeoutMs: number;
}

/**
 * MSG91's send API, `POST {base}/api/v2/sendsms` with the `authkey` header: the rendered text, the DLT
 * sender header and template id (`DLT_TE_ID`), route 4 (transactional) or 1 (promotional). MSG91 answers
 * `{"type":"success","message":"<request id>"}` (HTTP 200 even for some refusals, hence the `type`
 * check); the request id is what its delivery reports name as `requestId`.
 */
export class Msg91Channel {
  readonly provider = 'msg91' as const;

  constructor(private readonly settings: Msg91Settings) {}

  get timeoutMs(): number {
    return this.settings.timeoutMs;
  }

  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult> {
    const templateId = message.dlt?.templateId;
    const sender = message.dlt?.header ?? this.settings.sender;
    const answer = await postJson(
      'msg91',
      `${this.settings.baseUrl.replace(/\/+$/, '')}/api/v2/sendsms`,
      { authkey: this.settings.authKey },
      {
        sender,
        route: message.category === 'promotional' ? '1' : '4',
        ...(templateId ? { DLT_TE_ID: templateId } : {}),
        sms: [{ message: message.text, to: [internationalDigits(message.to)] }],
      },
      this.settings.timeoutMs,
      signal,
    );
    if (answer.status < 200 || answer.status >= 300) throw new ChannelError(`msg91 answered HTTP ${answer.status}`);
    const body = isRecord(answer.body) ? answer.body : {};
    if (body.type !== 'success') throw new ChannelError('msg91 refused the message');
    if (typeof body.message !== 'string' || body.message.length === 0 || body.message.length > 200)
      throw new ChannelError('msg91 answered without a request id');
    return { provider: 'msg91', providerMessageId: body.message };
  }
}

interface ChannelProvider {
  readonly provider: SendResult['provider'];
  readonly timeoutMs: number;
  send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult>;
}

/** Sends each message through the provider of the channel of its try. */
export class GatewaySender implements MessageSender {
  readonly name = 'gateways' as const;
  readonly timeoutMs: number;
  readonly sendsWhatsApp: boolean;
  private readonly providers: Record<MessageChannel, ChannelProvider | null>;

  constructor(providers: { whatsapp: ChannelProvider | null; sms: ChannelProvider; email: ChannelProvider }) {
    this.providers = { WHATSAPP: providers.whatsapp, SMS: providers.sms, EMAIL: providers.email };
    this.sendsWhatsApp = providers.whatsapp !== null;
    this.timeoutMs = Math.max(providers.sms.timeoutMs, providers.email.timeoutMs, providers.whatsapp?.timeoutMs ?? 0);
  }

  providerFor(channel: MessageChannel): SendResult['provider'] {
    return this.providers[channel]?.provider ?? 'generic';
  }

  send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendResult> {
    const provider = this.providers[message.channel as MessageChannel];
    if (!provider) return Promise.reject(new ChannelError(`no provider for ${message.channel}`));
    return provider.send(message, signal);
  }
}

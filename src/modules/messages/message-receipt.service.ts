// POST /hooks/messages/<provider>: a delivery report is authenticated before it is read (a forged or
// missing signature is 401 and changes nothing), parsed (a bad body is 400 naming the problem), then
// applied report by report. Reports for messages this service does not know are counted and dropped, so
// a provider does not retry them for ever.
import type { Logger } from '../../shared/logger.js';
import type { Clock } from '../../shared/clock.js';
import type { MessageReceiptRepository, ReportOutcome } from './message-receipt.repository.js';
import { parseReports, RECEIPT_PROVIDERS, ReceiptRefused, SIGNATURE_HEADERS, signatureMatches, type ReceiptProvider } from './message.receipts.js';

interface ReceiptSecrets {
  /** Signs generic and MSG91 reports. */
  webhookSecret?: string;
  /** Meta's app secret: signs WhatsApp reports. */
  whatsappAppSecret?: string;
  /** What Meta's subscription handshake must present. */
  whatsappVerifyToken?: string;
}

type ReceiptTally = Record<ReportOutcome, number> & { received: number };

export function isReceiptProvider(name: string): name is ReceiptProvider {
  return (RECEIPT_PROVIDERS as readonly string[]).includes(name);
}

export class MessageReceiptService {
  constructor(
    private readonly repository: MessageReceiptRepository,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly secrets: ReceiptSecrets,
  ) {}

  private secretOf(provider: ReceiptProvider): string | undefined {
    return provider === 'whatsapp' ? this.secrets.whatsappAppSecret : this.secrets.webhookSecret;
  }

  /** The header a provider's signature travels in. */
  signatureHeader(provider: ReceiptProvider): string {
    return SIGNATURE_HEADERS[provider];
  }

  async receive(provider: string, body: Buffer, signature: string | undefined): Promise<ReceiptTally> {
    if (!isReceiptProvider(provider)) throw new ReceiptRefused(404, `no delivery reports from "${provider.slice(0, 40)}": use generic, msg91 or whatsapp`);
    const secret = this.secretOf(provider);
    if (!secret) throw new ReceiptRefused(404, `delivery reports from ${provider} are not configured`);
    if (!signatureMatches(body, signature, secret)) {
      this.log.warn({ provider }, 'delivery report refused: signature missing or wrong');
      throw new ReceiptRefused(401, `${SIGNATURE_HEADERS[provider]}: missing or wrong signature`);
    }
    const reports = parseReports(provider, body.toString('utf8'));
    const tally: ReceiptTally = { received: reports.length, applied: 0, unchanged: 0, unknown: 0 };
    const now = this.clock.now();
    for (const report of reports) tally[await this.repository.apply(report, now)] += 1;
    if (tally.unknown > 0) this.log.info({ provider, unknown: tally.unknown }, 'delivery reports for unknown messages dropped');
    return tally;
  }

  /** Meta's subscription handshake: answers hub.challenge when hub.verify_token matches. */
  verifySubscription(query: URLSearchParams): string {
    const token = this.secrets.whatsappVerifyToken;
    if (!token) throw new ReceiptRefused(404, 'the WhatsApp webhook is not configured (MESSAGE_WHATSAPP_VERIFY_TOKEN)');
    const challenge = query.get('hub.challenge') ?? '';
    if (query.get('hub.mode') !== 'subscribe' || query.get('hub.verify_token') !== token) throw new ReceiptRefused(401, 'hub.verify_token: does not match');
    if (!/^[\w-]{1,200}$/.test(challenge)) throw new ReceiptRefused(400, 'hub.challenge: missing or not a token');
    return challenge;
  }
}

// Delivery reports as the providers send them (docs/messages.md): checked for their signature over the
// raw body before anything is read, then parsed into one shape. Nothing here touches the database.
//   generic  {"reports":[{"id":"<message id>","channel":"SMS","status":"DELIVERED","error":"…"}]},
//            signed X-Signature-256: sha256=<hex HMAC-SHA256 of the body, key MESSAGE_WEBHOOK_SECRET>
//   msg91    MSG91's v3 JSON webhook: one object (or an array of them) with requestId, status, desc;
//            signed like generic (MSG91 does not sign its reports: the relay in front of us does)
//   whatsapp the Cloud API webhook, entry[].changes[].value.statuses[] with id (wamid) and status;
//            signed by Meta, X-Hub-Signature-256: sha256=<hex HMAC-SHA256, key the app secret>
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { MessageChannel } from '../../generated/prisma/enums.js';

export const RECEIPT_PROVIDERS = ['generic', 'msg91', 'whatsapp'] as const;
export type ReceiptProvider = (typeof RECEIPT_PROVIDERS)[number];
export type ReportedStatus = 'SENT' | 'DELIVERED' | 'UNDELIVERED';

/** At most this many reports in one request: a provider batching more is answered 400. */
const MAX_REPORTS = 500;

export interface DeliveryReport {
  provider: ReceiptProvider;
  /** MSG91's request id or WhatsApp's wamid. */
  providerMessageId?: string;
  /** generic reports name the message and the channel of the try. */
  messageId?: string;
  channel?: MessageChannel;
  status: ReportedStatus;
  /** The provider's failure code (never its free text, which may quote the message). */
  error?: string;
}

export class ReceiptRefused extends Error {
  constructor(
    readonly httpStatus: 400 | 401 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'ReceiptRefused';
  }
}

export const SIGNATURE_HEADERS: Record<ReceiptProvider, string> = {
  generic: 'x-signature-256',
  msg91: 'x-signature-256',
  whatsapp: 'x-hub-signature-256',
};

/** `sha256=<hex>` of HMAC-SHA256(secret, body), compared in constant time. */
export function signatureMatches(body: Buffer, header: string | undefined, secret: string): boolean {
  const presented = /^sha256=([0-9a-f]{64})$/i.exec(header?.trim() ?? '')?.[1];
  if (!presented) return false;
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(presented, 'hex'));
}

export function sign(body: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const bad = (message: string) => new ReceiptRefused(400, message);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const PROVIDER_ID = /^[\w.:=+/-]{1,200}$/;

function providerId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !PROVIDER_ID.test(value))
    throw bad(`${field}: must be the provider's message id (1 to 200 letters, digits or . : = + / - _)`);
  return value;
}

function failureCode(value: unknown): string | undefined {
  if (typeof value === 'number' || (typeof value === 'string' && /^[\w.-]{1,40}$/.test(value))) return String(value);
  return undefined;
}

export function parseReports(provider: ReceiptProvider, text: string): DeliveryReport[] {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw bad('body: must be JSON');
  }
  const reports = provider === 'generic' ? parseGeneric(body) : provider === 'msg91' ? parseMsg91(body) : parseWhatsApp(body);
  if (reports.length > MAX_REPORTS) throw bad(`body: at most ${MAX_REPORTS} reports per request`);
  return reports;
}

const GENERIC_STATUSES = new Set<ReportedStatus>(['SENT', 'DELIVERED', 'UNDELIVERED']);
const CHANNELS = new Set<MessageChannel>(['SMS', 'WHATSAPP', 'EMAIL']);

function parseGeneric(body: unknown): DeliveryReport[] {
  if (!isRecord(body) || !Array.isArray(body.reports)) throw bad('reports: must be an array of delivery reports');
  return body.reports.map((report: unknown, index): DeliveryReport => {
    const field = `reports[${index}]`;
    if (!isRecord(report)) throw bad(`${field}: must be an object`);
    if (typeof report.id !== 'string' || !UUID.test(report.id)) throw bad(`${field}.id: must be the message's id (a UUID)`);
    if (typeof report.channel !== 'string' || !CHANNELS.has(report.channel as MessageChannel)) throw bad(`${field}.channel: must be SMS, WHATSAPP or EMAIL`);
    if (typeof report.status !== 'string' || !GENERIC_STATUSES.has(report.status as ReportedStatus))
      throw bad(`${field}.status: must be SENT, DELIVERED or UNDELIVERED`);
    return {
      provider: 'generic',
      messageId: report.id.toLowerCase(),
      channel: report.channel as MessageChannel,
      status: report.status as ReportedStatus,
      error: failureCode(report.error),
    };
  });
}

// MSG91's report statuses: 1 delivered; 2 failed, 9 NDNC, 16 and 25 rejected, 17 blocked number. Any other
// (submitted, pending at the operator) leaves the message SENT.
const MSG91_UNDELIVERED = new Set(['2', '9', '16', '17', '25']);

function parseMsg91(body: unknown): DeliveryReport[] {
  const items = Array.isArray(body) ? body : [body];
  return items.map((item: unknown, index): DeliveryReport => {
    const field = Array.isArray(body) ? `[${index}]` : 'body';
    if (!isRecord(item)) throw bad(`${field}: must be an MSG91 v3 delivery report object`);
    const id = providerId(item.requestId, `${field}.requestId`);
    const status = typeof item.status === 'number' ? String(item.status) : item.status;
    if (typeof status !== 'string' || !/^\d{1,3}$/.test(status)) throw bad(`${field}.status: must be MSG91's numeric report status`);
    const outcome: ReportedStatus = status === '1' ? 'DELIVERED' : MSG91_UNDELIVERED.has(status) ? 'UNDELIVERED' : 'SENT';
    return { provider: 'msg91', providerMessageId: id, status: outcome, error: outcome === 'UNDELIVERED' ? `msg91 status ${status}` : undefined };
  });
}

const WHATSAPP_STATUSES: Record<string, ReportedStatus> = { sent: 'SENT', delivered: 'DELIVERED', read: 'DELIVERED', failed: 'UNDELIVERED' };

function parseWhatsApp(body: unknown): DeliveryReport[] {
  if (!isRecord(body) || body.object !== 'whatsapp_business_account') throw bad('object: must be "whatsapp_business_account"');
  if (!Array.isArray(body.entry)) throw bad('entry: must be an array');
  const reports: DeliveryReport[] = [];
  body.entry.forEach((entry: unknown, entryIndex) => {
    if (!isRecord(entry) || !Array.isArray(entry.changes)) throw bad(`entry[${entryIndex}].changes: must be an array`);
    entry.changes.forEach((change: unknown, changeIndex) => {
      const field = `entry[${entryIndex}].changes[${changeIndex}]`;
      if (!isRecord(change) || !isRecord(change.value)) throw bad(`${field}.value: must be an object`);
      // Incoming messages and other fields arrive on the same webhook: only statuses concern delivery.
      const statuses = change.value.statuses;
      if (statuses === undefined) return;
      if (!Array.isArray(statuses)) throw bad(`${field}.value.statuses: must be an array`);
      statuses.forEach((status: unknown, statusIndex) => {
        const statusField = `${field}.value.statuses[${statusIndex}]`;
        if (!isRecord(status)) throw bad(`${statusField}: must be an object`);
        const id = providerId(status.id, `${statusField}.id`);
        if (typeof status.status !== 'string') throw bad(`${statusField}.status: must be a string`);
        const outcome = WHATSAPP_STATUSES[status.status];
        // Statuses Meta may add later (deleted, warning, …) say nothing about delivery.
        if (!outcome) return;
        const errors = Array.isArray(status.errors) ? status.errors : [];
        const code = isRecord(errors[0]) ? failureCode(errors[0].code) : undefined;
        reports.push({
          provider: 'whatsapp',
          providerMessageId: id,
          status: outcome,
          error: outcome === 'UNDELIVERED' ? `whatsapp error ${code ?? 'unknown'}` : undefined,
        });
      });
    });
  });
  return reports;
}

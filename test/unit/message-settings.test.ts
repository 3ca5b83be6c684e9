import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/env.js';
import { configProblems } from '../support/config.js';
import { fixedWindow, numberPrefix } from '../../src/modules/identity/otp.guard.js';
import { parseReports, sign, signatureMatches } from '../../src/modules/messages/message.receipts.js';
import { firstChannel } from '../../src/modules/messages/outbox.dispatcher.js';

const base = { NODE_ENV: 'test', JWT_SECRET: 'test-secret-that-is-at-least-32-bytes-long!!' };

const problems = (environment: Record<string, string>) => configProblems(environment, base);

describe('message and OTP guard settings', () => {
  it("keep today's defaults", () => {
    const config = parseConfig(base);
    expect(config).toMatchObject({
      MESSAGE_CHANNEL: 'log',
      MESSAGE_WHATSAPP_FALLBACK_SECONDS: 120,
      MESSAGE_SEND_TIMEOUT_MS: 10_000,
      OTP_PREFIX_LIMIT: 30,
      OTP_PREFIX_WINDOW_SECONDS: 3600,
      OTP_DAILY_LIMIT: 20_000,
    });
  });

  it('name every missing piece of MESSAGE_CHANNEL=gateways', () => {
    expect(problems({ MESSAGE_CHANNEL: 'gateways' })).toEqual([
      'MESSAGE_SMS_URL: is required when MESSAGE_CHANNEL=gateways and MESSAGE_SMS_PROVIDER=webhook',
      'MESSAGE_EMAIL_URL: is required when MESSAGE_CHANNEL=gateways (messages to customers without a phone)',
    ]);
    expect(
      problems({
        MESSAGE_CHANNEL: 'gateways',
        MESSAGE_SMS_PROVIDER: 'msg91',
        MESSAGE_EMAIL_URL: 'https://mail.example.in/send',
        MESSAGE_WHATSAPP_PHONE_NUMBER_ID: '1098765432',
      }),
    ).toEqual([
      'MESSAGE_WHATSAPP_ACCESS_TOKEN: MESSAGE_WHATSAPP_PHONE_NUMBER_ID and MESSAGE_WHATSAPP_ACCESS_TOKEN go together',
      'MESSAGE_MSG91_AUTH_KEY: is required when MESSAGE_SMS_PROVIDER=msg91',
      'MESSAGE_MSG91_SENDER: is required when MESSAGE_SMS_PROVIDER=msg91',
    ]);
  });

  it('refuse bad values, naming the setting', () => {
    expect(problems({ MESSAGE_WHATSAPP_FALLBACK_SECONDS: '5' })).toEqual(['MESSAGE_WHATSAPP_FALLBACK_SECONDS: must be at least 10 (seconds)']);
    expect(problems({ MESSAGE_MSG91_SENDER: 'dairy' })).toEqual(['MESSAGE_MSG91_SENDER: must be the six-letter DLT sender header']);
    expect(problems({ MESSAGE_WHATSAPP_PHONE_NUMBER_ID: '+91 98765' })).toEqual([
      'MESSAGE_WHATSAPP_PHONE_NUMBER_ID: must be the numeric phone number id of the WhatsApp Business account',
    ]);
    expect(problems({ MESSAGE_WEBHOOK_SECRET: 'short' })[0]).toMatch(/^MESSAGE_WEBHOOK_SECRET: must be at least 32 bytes/);
    expect(problems({ OTP_DAILY_LIMIT: '0' })).toHaveLength(1);
    expect(problems({ OTP_PREFIX_WINDOW_SECONDS: '30' })).toEqual(['OTP_PREFIX_WINDOW_SECONDS: must be at least 60 (seconds)']);
  });
});

describe('delivery report parsing', () => {
  it('checks the signature over the exact bytes', () => {
    const body = Buffer.from('{"reports":[]}');
    expect(signatureMatches(body, sign(body, 'k'.repeat(8)), 'k'.repeat(8))).toBe(true);
    expect(signatureMatches(Buffer.from('{"reports": []}'), sign(body, 'k'.repeat(8)), 'k'.repeat(8))).toBe(false);
    expect(signatureMatches(body, sign(body, 'k'.repeat(8)).toUpperCase().replace('SHA256=', 'sha256='), 'k'.repeat(8))).toBe(true);
    expect(signatureMatches(body, 'sha256=abc', 'k'.repeat(8))).toBe(false);
    expect(signatureMatches(body, undefined, 'k'.repeat(8))).toBe(false);
  });

  it('maps MSG91 statuses: 1 delivered, 2/9/16/17/25 undelivered, others still sent', () => {
    const reports = parseReports(
      'msg91',
      JSON.stringify(['1', '2', '9', '16', '17', '25', '8'].map((status, index) => ({ requestId: `r${index}`, status, desc: 'x' }))),
    );
    expect(reports.map((report) => report.status)).toEqual(['DELIVERED', 'UNDELIVERED', 'UNDELIVERED', 'UNDELIVERED', 'UNDELIVERED', 'UNDELIVERED', 'SENT']);
    expect(reports[4]).toEqual({ provider: 'msg91', providerMessageId: 'r4', status: 'UNDELIVERED', error: 'msg91 status 17' });
  });

  it('reads only the statuses of a WhatsApp webhook, ignoring incoming messages and statuses without a meaning for delivery', () => {
    const body = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '1',
          changes: [
            { field: 'messages', value: { messages: [{ from: '919800000000', text: { body: 'hi' } }] } },
            {
              field: 'messages',
              value: {
                statuses: [
                  { id: 'wamid.A', status: 'read' },
                  { id: 'wamid.B', status: 'deleted' },
                  { id: 'wamid.C', status: 'failed', errors: [{ code: 131026 }] },
                ],
              },
            },
          ],
        },
      ],
    };
    expect(parseReports('whatsapp', JSON.stringify(body))).toEqual([
      { provider: 'whatsapp', providerMessageId: 'wamid.A', status: 'DELIVERED', error: undefined },
      { provider: 'whatsapp', providerMessageId: 'wamid.C', status: 'UNDELIVERED', error: 'whatsapp error 131026' },
    ]);
  });
});

describe('routes and guard windows', () => {
  it('sends by WhatsApp first only transactional messages without secrets to opted-in customers', () => {
    const order = { channel: 'SMS', template: 'ORDER_CONFIRMATION', whatsappOptIn: true } as const;
    expect(firstChannel(order, true)).toBe('WHATSAPP');
    expect(firstChannel(order, false)).toBe('SMS');
    expect(firstChannel({ ...order, whatsappOptIn: false }, true)).toBe('SMS');
    expect(firstChannel({ ...order, template: 'REENGAGEMENT' }, true)).toBe('SMS');
    expect(firstChannel({ ...order, template: 'PASSWORD_RESET' }, true)).toBe('SMS');
    expect(firstChannel({ ...order, channel: 'EMAIL' }, true)).toBe('EMAIL');
  });

  it('takes the first seven national digits as the prefix and cuts IST days at midnight IST', () => {
    expect(numberPrefix('+919876543210')).toBe('9876543');
    const day = fixedWindow(new Date('2026-06-15T20:00:00Z'), 24 * 60 * 60 * 1000, 5.5 * 60 * 60 * 1000);
    expect(day).toEqual({ start: new Date('2026-06-15T18:30:00Z'), end: new Date('2026-06-16T18:30:00Z') });
    expect(fixedWindow(new Date('2026-06-15T06:30:00Z'), 3_600_000)).toEqual({
      start: new Date('2026-06-15T06:00:00Z'),
      end: new Date('2026-06-15T07:00:00Z'),
    });
  });
});

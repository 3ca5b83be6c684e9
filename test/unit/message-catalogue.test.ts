// The message catalogue: the shipped defaults, each problem of a bad file named, OTP text, variables and
// the promotional window.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CatalogueError,
  DEFAULT_TEMPLATES_FILE,
  loadMessageCatalogue,
  parseCatalogue,
  type MessageCatalogue,
} from '../../src/modules/messages/message.catalogue.js';
import { earliestSendingTime } from '../../src/modules/messages/message.schedule.js';
import { renderMessage, scrubSecrets } from '../../src/modules/messages/message.templates.js';
import { fitVariable } from '../../src/modules/messages/message.variables.js';

const defaults = () => JSON.parse(readFileSync(DEFAULT_TEMPLATES_FILE, 'utf8'));
const required = () => loadMessageCatalogue({});

function problemsOf(value: unknown, otp = {}, against: MessageCatalogue | null = required()): string[] {
  try {
    parseCatalogue('test.json', value, otp, against ?? undefined);
  } catch (error) {
    if (error instanceof CatalogueError) return error.problems;
    throw error;
  }
  return [];
}

describe('the shipped defaults', () => {
  it('load, and every template renders on every channel it has, with its DLT fields on SMS', () => {
    const catalogue = required();
    expect([...catalogue.templates.keys()]).toEqual([
      'WELCOME',
      'ORDER_CONFIRMATION',
      'FIRST_DELIVERY_THANKS',
      'REENGAGEMENT',
      'WELCOME_BACK',
      'OTP',
      'PASSWORD_RESET',
      'NEW_SIGN_IN',
    ]);
    const values = {
      name: 'Asha',
      total: '₹1,234.50',
      deliveryDate: '2026-06-16',
      code: '123456',
      token: 'q3-Zb_x9',
      device: 'Chrome 120 on Windows 10',
      at: '02 Dec 2026 10.15 IST',
    };
    for (const template of catalogue.templates.values()) {
      if (template.sms) {
        const sms = renderMessage(template.name, 'SMS', values, catalogue);
        expect(sms.dlt).toEqual({ entityId: template.sms.dlt.entityId, header: template.sms.dlt.header, templateId: template.sms.dlt.templateId });
        expect(sms.text).toMatch(template.sms.registration);
      }
      if (template.email) expect(renderMessage(template.name, 'EMAIL', values, catalogue).subject).toBe(template.email.subject);
      if (template.whatsapp) expect(renderMessage(template.name, 'WHATSAPP', values, catalogue).whatsapp?.name).toBe(template.whatsapp.name);
    }
    expect(renderMessage('ORDER_CONFIRMATION', 'EMAIL', values, catalogue).text).toBe(
      'Thank you for your first order of ₹1,234.50, Asha. We deliver it on 2026-06-16.',
    );
    expect(renderMessage('ORDER_CONFIRMATION', 'WHATSAPP', values, catalogue).whatsapp?.parameters).toEqual(['₹1,234.50', 'Asha', '2026-06-16']);
    expect(renderMessage('OTP', 'SMS', { code: '123456' }, catalogue).category).toBe('transactional');
    expect(renderMessage('REENGAGEMENT', 'SMS', { name: 'Asha' }, catalogue).category).toBe('promotional');
  });

  it('fit names to their registration and fall back when nothing is left; never alter a code', () => {
    const catalogue = required();
    expect(renderMessage('WELCOME', 'SMS', { name: "D'Souza (Mum)" }, catalogue).text).toBe(
      'Welcome to the dairy, D Souza Mum! Your fresh milk and groceries are a tap away.',
    );
    expect(renderMessage('WELCOME', 'SMS', { name: '🙂🙂' }, catalogue).text).toContain('dairy, friend!');
    expect(renderMessage('WELCOME', 'SMS', { name: 'अनीता शर्मा' }, catalogue).text).toContain('अनीता शर्मा');
    expect(renderMessage('WELCOME', 'SMS', { name: 'x'.repeat(45) }, catalogue).text).toContain(`${'x'.repeat(30)}!`);
    expect(() => renderMessage('OTP', 'SMS', { code: '12a456' }, catalogue)).toThrow('OTP.sms: variable code is not a valid numeric of at most 6 characters');
    expect(() => renderMessage('OTP', 'SMS', { code: '1234567' }, catalogue)).toThrow(/variable code/);
    expect(() => renderMessage('OTP', 'EMAIL', { code: '123456' }, catalogue)).toThrow('OTP: has no email text');
    expect(fitVariable({ type: 'numeric', maxLength: 6 }, 42)).toBe('42');
    expect(fitVariable({ type: 'alphanumeric', maxLength: 43, secret: true }, 'a+b')).toBeNull();
  });

  it('scrub secrets from the stored text', () => {
    expect(scrubSecrets('OTP', { code: '654321' }, '654321 is your sign-in code.')).toEqual({ variables: {}, text: '[redacted] is your sign-in code.' });
    expect(scrubSecrets('WELCOME', { name: 'Asha' }, 'Welcome, Asha')).toEqual({ variables: { name: 'Asha' }, text: 'Welcome, Asha' });
  });
});

describe('a templates file', () => {
  it('names each problem with its template and field', () => {
    const file = defaults();
    file.templates.WELCOME.sms.text = 'Welcome to the dairy, {name}! Fresh milk awaits.';
    file.templates.OTP.sms.dlt.header = 'DAIRY';
    file.templates.REENGAGEMENT.sms.dlt.header = 'DAIRYM';
    file.templates.WELCOME_BACK.sms.dlt.registeredText = 'Welcome back, {#var#}! Your order is on its way.';
    file.templates.ORDER_CONFIRMATION.sms.text = 'Your order of {total} comes on {deliveryDate}.';
    file.templates.ORDER_CONFIRMATION.sms.dlt.registeredText = 'Your order of {#text#} comes on {#alphanumeric#}.';
    file.templates.FIRST_DELIVERY_THANKS.email.text = 'Thanks, {nmae}.';
    file.templates.PASSWORD_RESET.variables.token.secret = false;
    delete file.templates.PASSWORD_RESET.email;
    file.templates.PRICE_ALERT = file.templates.WELCOME;
    const problems = problemsOf(file);
    expect(problems).toEqual(['OTP.sms.dlt.header: must be the 6-character DLT sender header']);
    delete file.templates.PRICE_ALERT;
    file.templates.OTP.sms.dlt.header = 'DAIRYM';
    expect(problemsOf(file)).toEqual([
      'WELCOME.sms: the text does not match its DLT registration: sent "Welcome to the dairy, {#alphanumeric#}! Fresh milk awaits.", registered "Welcome to the dairy, {#alphanumeric#}! Your fresh milk and groceries are a tap away."',
      'ORDER_CONFIRMATION.sms.dlt.registeredText: {#text#} is not a DLT variable type ({#numeric#}, {#alphanumeric#}, {#url#}, {#urlott#}, {#cbn#}, {#email#})',
      'ORDER_CONFIRMATION.sms.text: {total} is of type text, which DLT does not register: use numeric, alphanumeric, url, urlott, cbn, email',
      'FIRST_DELIVERY_THANKS.email.text: {nmae} is not one of its variables',
      'REENGAGEMENT.sms.dlt.header: a promotional header is 6 digits',
      'WELCOME_BACK.sms.dlt.registeredText: {#var#} is not a DLT variable type ({#numeric#}, {#alphanumeric#}, {#url#}, {#urlott#}, {#cbn#}, {#email#})',
      'WELCOME_BACK.sms: the text does not match its DLT registration: sent "Welcome back, {#alphanumeric#}! Your order is on its way.", registered "Welcome back, {#var#}! Your order is on its way."',
      'PASSWORD_RESET.email: missing (this server may send PASSWORD_RESET on email)',
      'PASSWORD_RESET.variables.token.secret: must be true (it holds a code or token)',
    ]);
  });

  it('names unknown and missing templates, and structural mistakes by path', () => {
    const file = defaults();
    file.templates.PRICE_ALERT = file.templates.WELCOME;
    delete file.templates.WELCOME_BACK;
    expect(problemsOf(file)).toEqual([
      'PRICE_ALERT: not a template this server sends (WELCOME, ORDER_CONFIRMATION, FIRST_DELIVERY_THANKS, REENGAGEMENT, WELCOME_BACK, OTP, PASSWORD_RESET, NEW_SIGN_IN)',
      'WELCOME_BACK: missing (this server sends it)',
    ]);
    // A new template is an entry in the defaults: checked like the others, no code needed to accept it.
    expect(problemsOf(file, {}, null)).toEqual([]);
    const broken = defaults();
    broken.templates.OTP.category = 'urgent';
    broken.templates.OTP.variables.code.type = 'digits';
    broken.templates.WELCOME.sms.dlt.templateId = '12AB';
    broken.templates.WELCOME.sms.colour = 'red';
    expect(problemsOf(broken)).toEqual([
      'WELCOME.sms.dlt.templateId: must be the DLT content template id (12 to 19 digits)',
      'WELCOME.sms: Unrecognized key: "colour"',
      expect.stringMatching(/^OTP\.category: Invalid option/),
      expect.stringMatching(/^OTP\.variables\.code\.type: Invalid option/),
    ]);
    expect(problemsOf('not an object')).toEqual([expect.stringMatching(/^file: /)]);
  });

  it('refuses a file it cannot read or parse, naming the setting', () => {
    expect(() => loadMessageCatalogue({ MESSAGE_TEMPLATES_FILE: '/nonexistent/templates.json' })).toThrow(
      'MESSAGE_TEMPLATES_FILE: /nonexistent/templates.json cannot be read (ENOENT)',
    );
  });
});

describe('the OTP text', () => {
  const otp = { webOtpDomain: 'app.dairy.example', appHash: 'FA+9qCX9VSu' };
  const registered = (file: any) => {
    file.templates.OTP.sms.dlt.registeredText = `{#numeric#} is your sign-in code. It expires in 5 minutes. Do not share it with anyone.\nFA+9qCX9VSu\n\n@app.dairy.example #{#numeric#}`;
    return file;
  };

  it('carries the app hash and ends with the WebOTP line, within 140 bytes', () => {
    const catalogue = parseCatalogue('test.json', registered(defaults()), otp, required());
    const sms = renderMessage('OTP', 'SMS', { code: '042917' }, catalogue);
    expect(sms.text).toBe('042917 is your sign-in code. It expires in 5 minutes. Do not share it with anyone.\nFA+9qCX9VSu\n\n@app.dairy.example #042917');
    expect(sms.text.split('\n').at(-1)).toBe('@app.dairy.example #042917');
    expect(Buffer.byteLength(sms.text)).toBe(122);
  });

  it('refuses start-up when the settings change the text its registration does not cover, or it outgrows 140 bytes', () => {
    expect(problemsOf(defaults(), otp)).toEqual([
      'OTP.sms: the text (with OTP_APP_HASH/OTP_WEBOTP_DOMAIN as set) does not match its DLT registration: sent "{#numeric#} is your sign-in code. It expires in 5 minutes. Do not share it with anyone.\\nFA+9qCX9VSu\\n\\n@app.dairy.example #{#numeric#}", registered "{#numeric#} is your sign-in code. It expires in 5 minutes. Do not share it with anyone."',
    ]);
    const long = registered(defaults());
    const domain = 'a-very-long-subdomain-for-sign-in.dairy.example';
    long.templates.OTP.sms.dlt.registeredText = long.templates.OTP.sms.dlt.registeredText.replace('app.dairy.example', domain);
    expect(problemsOf(long, { ...otp, webOtpDomain: domain })).toEqual(['OTP.sms.text: a one-time-code SMS must fit in 140 bytes, this one takes up to 152']);
  });
});

describe('the promotional window', () => {
  const at = (iso: string) => new Date(iso);
  it('is 09:00–21:00 IST; outside it a promotional message waits for the next 09:00 IST', () => {
    // 09:00 IST = 03:30 UTC; 21:00 IST = 15:30 UTC.
    expect(earliestSendingTime('promotional', at('2026-06-15T03:30:00Z'))).toEqual(at('2026-06-15T03:30:00Z'));
    expect(earliestSendingTime('promotional', at('2026-06-15T15:29:59.999Z'))).toEqual(at('2026-06-15T15:29:59.999Z'));
    expect(earliestSendingTime('promotional', at('2026-06-15T15:30:00Z'))).toEqual(at('2026-06-16T03:30:00Z'));
    expect(earliestSendingTime('promotional', at('2026-06-15T20:00:00Z'))).toEqual(at('2026-06-16T03:30:00Z'));
    expect(earliestSendingTime('promotional', at('2026-06-15T03:29:59Z'))).toEqual(at('2026-06-15T03:30:00Z'));
    expect(earliestSendingTime('promotional', at('2026-12-31T18:30:00Z'))).toEqual(at('2027-01-01T03:30:00Z'));
    expect(earliestSendingTime('transactional', at('2026-06-15T20:00:00Z'))).toEqual(at('2026-06-15T20:00:00Z'));
    expect(earliestSendingTime('service', at('2026-06-15T20:00:00Z'))).toEqual(at('2026-06-15T20:00:00Z'));
  });
});

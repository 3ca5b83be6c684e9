// Rendering a template of the catalogue for one channel. The catalogue in use is set once at start-up
// (useMessageCatalogue); until then the shipped defaults serve (scripts, the seed). A rendered SMS is
// checked against its DLT registration before it leaves, and every variable against its type and length.
import type { MessageChannel } from '../../generated/prisma/enums.js';
import {
  loadMessageCatalogue,
  oneTimeCodeSmsText,
  type CatalogueChannel,
  type CatalogueTemplate,
  type MessageCatalogue,
  type MessageCategory,
} from './message.catalogue.js';
import { fitVariable, TemplateVariableError } from './message.variables.js';

export type Variables = Record<string, string | number>;

export interface RenderedMessage {
  template: string;
  channel: MessageChannel;
  category: MessageCategory;
  text: string;
  /** SMS: the DLT registration the text was checked against. */
  dlt?: { entityId: string; header: string; templateId: string };
  /** Email: the subject line. */
  subject?: string;
  /** WhatsApp: the approved template and its body parameters, in the order they appear in the text. */
  whatsapp?: { name: string; language: string; parameters: string[] };
}

let active: MessageCatalogue | null = null;

/** Sets the catalogue every later rendering uses (start-up, after it was loaded and checked). */
export function useMessageCatalogue(catalogue: MessageCatalogue): void {
  active = catalogue;
}

export function messageCatalogue(): MessageCatalogue {
  active ??= loadMessageCatalogue({});
  return active;
}

const CHANNEL_KEYS: Record<MessageChannel, CatalogueChannel> = { SMS: 'sms', WHATSAPP: 'whatsapp', EMAIL: 'email' };

function templateOf(name: string, catalogue: MessageCatalogue): CatalogueTemplate {
  const template = catalogue.templates.get(name);
  if (!template) throw new TemplateVariableError(`${name}: no such template in ${catalogue.source}`);
  return template;
}

export function templateCategory(name: string, catalogue = messageCatalogue()): MessageCategory {
  return templateOf(name, catalogue).category;
}

function fill(text: string, values: Record<string, string>): { text: string; parameters: string[] } {
  const parameters: string[] = [];
  const filled = text.replace(/\{(\w+)\}/g, (_whole, name: string) => {
    parameters.push(values[name]);
    return values[name];
  });
  return { text: filled, parameters };
}

/**
 * The message as the channel sends it. Throws TemplateVariableError naming the template, channel and
 * variable when a value cannot be sent (a code that is not digits, a link that is not one).
 */
export function renderMessage(name: string, channel: MessageChannel, variables: Variables, catalogue = messageCatalogue()): RenderedMessage {
  const template = templateOf(name, catalogue);
  const key = CHANNEL_KEYS[channel];
  const entry = template[key];
  if (!entry) throw new TemplateVariableError(`${name}: has no ${key} text`);
  const values: Record<string, string> = {};
  for (const [variableName, rule] of Object.entries(template.variables)) {
    const fitted = fitVariable(rule, variables[variableName]);
    if (fitted === null)
      throw new TemplateVariableError(`${name}.${key}: variable ${variableName} is not a valid ${rule.type} of at most ${rule.maxLength} characters`);
    values[variableName] = fitted;
  }
  const base = { template: name, channel, category: template.category };
  if (channel === 'SMS') {
    const sms = template.sms!;
    const text = template.oneTimeCode ? oneTimeCodeSmsText(sms.text, `{${template.oneTimeCode}}`, catalogue.otp) : sms.text;
    const rendered = fill(text, values).text;
    // The start-up check makes this hold; it stays as the last guard before an operator's scrubber drops it.
    if (!sms.registration.test(rendered)) throw new TemplateVariableError(`${name}.sms: the text does not match its DLT registration`);
    const { entityId, header, templateId } = sms.dlt;
    return { ...base, text: rendered, dlt: { entityId, header, templateId } };
  }
  if (channel === 'EMAIL') {
    const email = template.email!;
    return { ...base, text: fill(email.text, values).text, subject: email.subject };
  }
  const whatsapp = template.whatsapp!;
  const { text, parameters } = fill(whatsapp.text, values);
  return { ...base, text, whatsapp: { name: whatsapp.name, language: whatsapp.language, parameters } };
}

function secretVariables(name: string, catalogue: MessageCatalogue): string[] {
  const template = catalogue.templates.get(name);
  return template
    ? Object.entries(template.variables)
        .filter(([, rule]) => rule.secret)
        .map(([variableName]) => variableName)
    : [];
}

/** Variables that are secrets: they leave the database once the message is delivered or given up. */
export function holdsSecrets(name: string, catalogue = messageCatalogue()): boolean {
  return secretVariables(name, catalogue).length > 0;
}

/**
 * The stored form of a finished message: secret variables removed and masked in the stored text (or, when
 * none is given, in the template's first text).
 */
export function scrubSecrets(name: string, variables: Variables, text?: string, catalogue = messageCatalogue()): { variables: Variables; text: string } {
  const secrets = secretVariables(name, catalogue);
  const kept = Object.fromEntries(Object.entries(variables).filter(([variableName]) => !secrets.includes(variableName)));
  const template = templateOf(name, catalogue);
  const first = template.sms?.text ?? template.whatsapp?.text ?? template.email?.text ?? '';
  let masked = text ?? first.replace(/\{(\w+)\}/g, (_whole, variableName: string) => String(variables[variableName] ?? ''));
  for (const secret of secrets) {
    const value = variables[secret];
    if (value !== undefined && String(value).length > 0) masked = masked.split(String(value)).join('[redacted]');
  }
  return { variables: kept, text: masked };
}

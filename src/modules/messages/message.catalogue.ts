// The message catalogue (docs/messages.md): every template, per channel, as data. The project's defaults
// live in config/message-templates.json; MESSAGE_TEMPLATES_FILE replaces them with the operator's own
// registrations. Everything that can be checked is checked here, at start-up, with each problem named:
// an SMS text that does not match its DLT registration, a variable whose type DLT does not know, an OTP
// text longer than 140 bytes. A catalogue that loads renders every message the code sends.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { PROJECT_ROOT } from '../../shared/project-root.js';
import { VARIABLE_TYPES, DLT_VARIABLE_TYPES, fitVariable, type VariableType } from './message.variables.js';

export const DEFAULT_TEMPLATES_FILE = path.join(PROJECT_ROOT, 'config', 'message-templates.json');

/** The templates the code sends: the names of the shipped defaults, so adding one is an entry there. */
export type MessageTemplate = keyof (typeof import('../../../config/message-templates.json'))['templates'];
export type MessageCategory = 'transactional' | 'service' | 'promotional';
export type CatalogueChannel = 'sms' | 'whatsapp' | 'email';
const CATALOGUE_CHANNELS: readonly CatalogueChannel[] = ['sms', 'whatsapp', 'email'];

const PLACEHOLDER = /\{(\w+)\}/g;
const DLT_PLACEHOLDER = /\{#(\w+)#\}/g;
/** Android's SMS Retriever reads at most 140 bytes (one 8-bit SMS): an OTP text must fit in it. */
const OTP_SMS_MAX_BYTES = 140;

const variableSchema = z.strictObject({
  type: z.enum(VARIABLE_TYPES),
  maxLength: z.number().int().min(1).max(50),
  fallback: z.string().min(1).optional(),
  secret: z.boolean().optional(),
});

const dltSchema = z.strictObject({
  entityId: z.string().regex(/^\d{12,19}$/, 'must be the DLT principal entity id (12 to 19 digits)'),
  header: z.string().regex(/^[A-Za-z0-9]{6}$/, 'must be the 6-character DLT sender header'),
  templateId: z.string().regex(/^\d{12,19}$/, 'must be the DLT content template id (12 to 19 digits)'),
  registeredText: z.string().min(1),
});

const templateSchema = z.strictObject({
  category: z.enum(['transactional', 'service', 'promotional']),
  oneTimeCode: z.string().optional(),
  variables: z.record(z.string().regex(/^\w+$/, 'variable names are letters, digits and _'), variableSchema),
  sms: z.strictObject({ text: z.string().min(1), dlt: dltSchema }).optional(),
  whatsapp: z
    .strictObject({
      name: z.string().regex(/^[a-z0-9_]{1,512}$/, 'must be the approved template name (a-z, 0-9, _)'),
      language: z.string().min(2),
      text: z.string().min(1),
    })
    .optional(),
  email: z.strictObject({ subject: z.string().min(1), text: z.string().min(1) }).optional(),
});

const fileSchema = z.strictObject({ templates: z.record(z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'template names are SCREAMING_SNAKE'), templateSchema) });

type TemplateVariable = z.infer<typeof variableSchema>;
type TemplateEntry = z.infer<typeof templateSchema>;

interface SmsTemplate {
  text: string;
  dlt: { entityId: string; header: string; templateId: string; registeredText: string };
  /** The registration as a pattern: what the rendered text must match before it leaves. */
  registration: RegExp;
}

export interface CatalogueTemplate {
  name: string;
  category: MessageCategory;
  /** The variable holding a one-time code: its SMS carries the app hash and WebOTP line. */
  oneTimeCode?: string;
  variables: Record<string, TemplateVariable>;
  sms?: SmsTemplate;
  whatsapp?: { name: string; language: string; text: string };
  email?: { subject: string; text: string };
}

interface OtpTextSettings {
  /** OTP_WEBOTP_DOMAIN: the SMS ends with `@<domain> #<code>` for the browser's WebOTP API. */
  webOtpDomain?: string;
  /** OTP_APP_HASH: the 11-character hash Android's SMS Retriever looks for. */
  appHash?: string;
}

export interface MessageCatalogue {
  readonly source: string;
  readonly templates: ReadonlyMap<string, CatalogueTemplate>;
  readonly otp: OtpTextSettings;
}

export class CatalogueError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid message templates (${source}):\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'CatalogueError';
  }
}

/** The SMS text as sent for a one-time code: the text, then the app hash, then the WebOTP line last. */
export function oneTimeCodeSmsText(text: string, codePlaceholder: string, otp: OtpTextSettings): string {
  let full = text;
  if (otp.appHash) full += `\n${otp.appHash}`;
  if (otp.webOtpDomain) full += `\n\n@${otp.webOtpDomain} #${codePlaceholder}`;
  return full;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function registrationPattern(registeredText: string): RegExp {
  const parts = registeredText.split(DLT_PLACEHOLDER);
  // split with a capture group alternates literal, type, literal, …
  const source = parts.map((part, index) => (index % 2 === 0 ? escapeRegExp(part) : '(.+?)')).join('');
  return new RegExp(`^${source}$`, 's');
}

function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((match) => match[1]);
}

/** Checks one template entry; problems are pushed with the template's name and the field in question. */
function checkTemplate(name: string, entry: TemplateEntry, otp: OtpTextSettings, problems: string[]): CatalogueTemplate {
  const at = (field: string) => `${name}.${field}`;
  for (const [variableName, variable] of Object.entries(entry.variables)) {
    if (variable.fallback !== undefined && fitVariable(variable, variable.fallback) !== variable.fallback) {
      problems.push(
        `${at(`variables.${variableName}.fallback`)}: "${variable.fallback}" is not a valid ${variable.type} of at most ${variable.maxLength} characters`,
      );
    }
  }
  if (entry.oneTimeCode !== undefined) {
    const code = entry.variables[entry.oneTimeCode];
    if (!code) problems.push(`${at('oneTimeCode')}: "${entry.oneTimeCode}" is not one of its variables`);
    else if (code.type !== 'numeric') problems.push(`${at('oneTimeCode')}: the code variable must be numeric (WebOTP and SMS Retriever read digits)`);
  }
  if (!entry.sms && !entry.whatsapp && !entry.email) problems.push(`${name}: has no channel (sms, whatsapp or email)`);
  for (const channel of CATALOGUE_CHANNELS) {
    const text = entry[channel]?.text;
    if (text === undefined) continue;
    for (const used of placeholders(text)) {
      if (!entry.variables[used]) problems.push(`${at(`${channel}.text`)}: {${used}} is not one of its variables`);
    }
  }
  const sms = entry.sms ? checkSmsTemplate(name, entry, entry.sms, otp, problems) : undefined;
  return { name, category: entry.category, oneTimeCode: entry.oneTimeCode, variables: entry.variables, sms, whatsapp: entry.whatsapp, email: entry.email };
}

/** Checks a template's SMS: its DLT header and registration, its variables' DLT types and a one-time code's length. */
function checkSmsTemplate(
  name: string,
  entry: TemplateEntry,
  smsEntry: NonNullable<TemplateEntry['sms']>,
  otp: OtpTextSettings,
  problems: string[],
): SmsTemplate {
  const at = (field: string) => `${name}.${field}`;
  const { text, dlt } = smsEntry;
  const promotional = entry.category === 'promotional';
  // TRAI: promotional headers are six digits, the others six letters.
  if (promotional && !/^\d{6}$/.test(dlt.header)) problems.push(`${at('sms.dlt.header')}: a promotional header is 6 digits`);
  if (!promotional && !/^[A-Za-z]{6}$/.test(dlt.header)) problems.push(`${at('sms.dlt.header')}: a ${entry.category} header is 6 letters`);
  for (const [, type] of dlt.registeredText.matchAll(DLT_PLACEHOLDER)) {
    if (!(DLT_VARIABLE_TYPES as readonly string[]).includes(type)) {
      problems.push(
        `${at('sms.dlt.registeredText')}: {#${type}#} is not a DLT variable type (${DLT_VARIABLE_TYPES.map((known) => `{#${known}#}`).join(', ')})`,
      );
    }
  }
  for (const used of placeholders(text)) {
    const variable = entry.variables[used];
    if (variable && !(DLT_VARIABLE_TYPES as readonly string[]).includes(variable.type)) {
      problems.push(`${at('sms.text')}: {${used}} is of type ${variable.type}, which DLT does not register: use ${DLT_VARIABLE_TYPES.join(', ')}`);
    }
  }
  const codeVariable = entry.oneTimeCode ? entry.variables[entry.oneTimeCode] : undefined;
  const sent = entry.oneTimeCode ? oneTimeCodeSmsText(text, `{${entry.oneTimeCode}}`, otp) : text;
  const expected = sent.replace(PLACEHOLDER, (whole, used: string) => (entry.variables[used] ? `{#${entry.variables[used].type}#}` : whole));
  if (expected !== dlt.registeredText) {
    const settings = entry.oneTimeCode && (otp.appHash || otp.webOtpDomain) ? ' (with OTP_APP_HASH/OTP_WEBOTP_DOMAIN as set)' : '';
    problems.push(
      `${at('sms')}: the text${settings} does not match its DLT registration: sent ${JSON.stringify(expected)}, registered ${JSON.stringify(dlt.registeredText)}`,
    );
  }
  if (codeVariable) {
    const longest = sent.replace(PLACEHOLDER, (_whole, used: string) => 'W'.repeat(entry.variables[used]?.maxLength ?? 0));
    const bytes = Buffer.byteLength(longest, 'utf8');
    if (bytes > OTP_SMS_MAX_BYTES)
      problems.push(`${at('sms.text')}: a one-time-code SMS must fit in ${OTP_SMS_MAX_BYTES} bytes, this one takes up to ${bytes}`);
  }
  return { text, dlt, registration: registrationPattern(dlt.registeredText) };
}

function readJson(file: string): { value?: unknown; problem?: string } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    return { problem: `cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'})` };
  }
  try {
    return { value: JSON.parse(text) };
  } catch (error) {
    return { problem: `is not JSON: ${(error as Error).message}` };
  }
}

/** Parses and checks a catalogue; `required` (the shipped defaults) names the templates and channels the code uses. */
export function parseCatalogue(source: string, value: unknown, otp: OtpTextSettings, required?: MessageCatalogue): MessageCatalogue {
  const parsed = fileSchema.safeParse(value);
  if (!parsed.success) {
    // Named like the checks below: `OTP.sms.dlt.header`, not `templates.OTP.sms.dlt.header`.
    const where = (path: PropertyKey[]) => (path[0] === 'templates' && path.length > 1 ? path.slice(1) : path).map(String).join('.') || 'file';
    throw new CatalogueError(
      source,
      parsed.error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`),
    );
  }
  const problems: string[] = [];
  const templates = new Map<string, CatalogueTemplate>();
  for (const [name, entry] of Object.entries(parsed.data.templates)) {
    if (required && !required.templates.has(name)) {
      problems.push(`${name}: not a template this server sends (${[...required.templates.keys()].join(', ')})`);
      continue;
    }
    templates.set(name, checkTemplate(name, entry, otp, problems));
  }
  for (const [name, needed] of required?.templates ?? []) {
    const given = templates.get(name);
    if (!given) {
      if (!problems.some((problem) => problem.startsWith(`${name}:`))) problems.push(`${name}: missing (this server sends it)`);
      continue;
    }
    for (const channel of CATALOGUE_CHANNELS) {
      if (needed[channel] && !given[channel]) problems.push(`${name}.${channel}: missing (this server may send ${name} on ${channel})`);
    }
    for (const variableName of Object.keys(needed.variables)) {
      if (!given.variables[variableName]) problems.push(`${name}.variables.${variableName}: missing (this server fills it)`);
    }
    if (needed.oneTimeCode !== given.oneTimeCode) problems.push(`${name}.oneTimeCode: must be "${needed.oneTimeCode ?? ''}" as in the defaults`);
    for (const [variableName, variable] of Object.entries(needed.variables)) {
      if (variable.secret && given.variables[variableName] && !given.variables[variableName].secret) {
        problems.push(`${name}.variables.${variableName}.secret: must be true (it holds a code or token)`);
      }
    }
  }
  if (problems.length > 0) throw new CatalogueError(source, problems);
  return Object.freeze({ source, templates, otp: Object.freeze({ ...otp }) });
}

function readCatalogue(file: string, otp: OtpTextSettings, required?: MessageCatalogue): MessageCatalogue {
  const { value, problem } = readJson(file);
  if (problem) throw new CatalogueError(file, [`MESSAGE_TEMPLATES_FILE: ${file} ${problem}`]);
  return parseCatalogue(file, value, otp, required);
}

/**
 * The catalogue for this configuration: the shipped defaults, or MESSAGE_TEMPLATES_FILE checked against
 * them (it must define every template and channel the server sends). Throws CatalogueError naming each problem.
 */
export function loadMessageCatalogue(config: { MESSAGE_TEMPLATES_FILE?: string; OTP_WEBOTP_DOMAIN?: string; OTP_APP_HASH?: string }): MessageCatalogue {
  const otp: OtpTextSettings = { webOtpDomain: config.OTP_WEBOTP_DOMAIN, appHash: config.OTP_APP_HASH };
  if (!config.MESSAGE_TEMPLATES_FILE) return readCatalogue(DEFAULT_TEMPLATES_FILE, otp);
  return readCatalogue(config.MESSAGE_TEMPLATES_FILE, otp, readCatalogue(DEFAULT_TEMPLATES_FILE, {}));
}

export type { VariableType };

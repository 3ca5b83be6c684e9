// Typed template variables. The six DLT types are those TRAI's direction of 18 Nov 2025 requires every
// SMS variable to be registered with; `text` (free text) is for WhatsApp and email only.
export const DLT_VARIABLE_TYPES = ['numeric', 'alphanumeric', 'url', 'urlott', 'cbn', 'email'] as const;
export const VARIABLE_TYPES = [...DLT_VARIABLE_TYPES, 'text'] as const;
export type VariableType = (typeof VARIABLE_TYPES)[number];

interface VariableRule {
  type: VariableType;
  maxLength: number;
  fallback?: string;
  secret?: boolean;
}

const VALID: Record<VariableType, RegExp> = {
  numeric: /^\d+$/,
  // Letters of any script, digits, spaces and - _ . (names, dates, references, opaque tokens).
  alphanumeric: /^[\p{L}\p{M}\p{N}][\p{L}\p{M}\p{N} ._-]*$/u,
  url: /^https?:\/\/[^\s]+$/,
  urlott: /^https?:\/\/[^\s]+$/,
  cbn: /^\+?\d{6,15}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  text: /^[^\p{Cc}]+$/u,
};

export class TemplateVariableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TemplateVariableError';
  }
}

function isValidVariable(rule: VariableRule, value: string): boolean {
  return value.length <= rule.maxLength && VALID[rule.type].test(value);
}

/**
 * The value as it may be sent. Names and other free-form alphanumeric or text values are fitted (other
 * characters become spaces, the length is cut to the registration's limit) so that a customer called
 * "D'Souza (Mum)" still gets a message; a value that cannot be fitted takes the variable's fallback.
 * Codes, links, numbers and secrets are never altered: one that does not fit returns null.
 */
export function fitVariable(rule: VariableRule, raw: string | number | undefined): string | null {
  const value = raw === undefined ? undefined : String(raw);
  if (value !== undefined && isValidVariable(rule, value)) return value;
  const fittable = !rule.secret && (rule.type === 'alphanumeric' || rule.type === 'text');
  if (value !== undefined && fittable) {
    const cleaned = rule.type === 'alphanumeric' ? value.normalize('NFKC').replace(/[^\p{L}\p{M}\p{N} ._-]+/gu, ' ') : value.replace(/\p{Cc}+/gu, ' ');
    const fitted = cleaned.replace(/\s+/g, ' ').trim().slice(0, rule.maxLength).trim();
    if (fitted.length > 0 && isValidVariable(rule, fitted)) return fitted;
  }
  if (rule.fallback !== undefined && isValidVariable(rule, rule.fallback)) return rule.fallback;
  return null;
}

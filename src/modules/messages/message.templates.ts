import type { MessageTemplate } from '../../generated/prisma/enums.js';

type Variables = Record<string, string | number>;

const TEMPLATES: Record<MessageTemplate, (variables: Variables) => string> = {
  WELCOME: (v) => `Welcome to the dairy, ${v.name ?? 'friend'}! Your fresh milk and groceries are a tap away.`,
  ORDER_CONFIRMATION: (v) => `Thank you for your first order${v.total ? ` of ${v.total}` : ''}. We deliver it on ${v.deliveryDate ?? 'the chosen day'}.`,
  FIRST_DELIVERY_THANKS: (v) =>
    `Your first delivery has arrived, ${v.name ?? 'friend'}. Try a daily milk subscription and never run out.`,
  REENGAGEMENT: (v) => `We miss you, ${v.name ?? 'friend'}! Order again this week and we will deliver at dawn.`,
  WELCOME_BACK: (v) => `Welcome back, ${v.name ?? 'friend'}! Your order is on its way.`,
  OTP: (v) => `${v.code} is your sign-in code. It expires in 5 minutes. Do not share it with anyone.`,
  PASSWORD_RESET: (v) => `Use this code to reset your password within 30 minutes: ${v.token}`,
};

export function renderMessage(template: MessageTemplate, variables: Variables): string {
  return TEMPLATES[template](variables);
}

/** Variables that are secrets: they leave the database once the message is delivered or given up. */
const SECRET_VARIABLES: Partial<Record<MessageTemplate, string[]>> = { OTP: ['code'], PASSWORD_RESET: ['token'] };

export function holdsSecrets(template: MessageTemplate): boolean {
  return SECRET_VARIABLES[template] !== undefined;
}

/** The stored form of a finished message: secret variables removed and masked in the text. */
export function scrubSecrets(template: MessageTemplate, variables: Variables): { variables: Variables; text: string } {
  const secrets = SECRET_VARIABLES[template] ?? [];
  const kept = Object.fromEntries(Object.entries(variables).filter(([name]) => !secrets.includes(name)));
  const masked = Object.fromEntries(secrets.map((name) => [name, '[redacted]']));
  return { variables: kept, text: renderMessage(template, { ...kept, ...masked }) };
}

// Every action the audit trail records. The `action` filter of `auditLog` accepts only these, and
// docs/authentication.md says what each one's before/after holds.
export const AUDIT_ACTIONS = [
  'user.create',
  'user.create-cli',
  'user.set-roles',
  'user.set-status',
  'user.unlock',
  'session.sign-in',
  'session.revoke',
  'second-factor.totp-enrolled',
  'second-factor.passkey-registered',
  'second-factor.reset',
  'customer.create',
  'customer.assign-delivery-boy',
  'customer.contact',
  'customer.whatsapp-opt-in',
  'customer.whatsapp-opt-out',
  'customer.merge',
  'subscription.create',
  'order.place',
  'order.reassign',
  'order.deliver',
  'payout.record',
  'product.create',
  'price-change.approve',
  'price-change.reject',
  'activation.sweep',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export function isAuditAction(value: string): value is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(value);
}

// Reading the audit trail (admins only, by the field's directive): filters are checked before they reach
// a query, each refusal naming its argument.
import { keyKinds } from '../../db/keyset.js';
import { badUserInput } from '../../shared/errors.js';
import { pageRequest, type PageArgs } from '../../shared/pagination.js';
import { AUDIT_ACTIONS, isAuditAction } from './audit.actions.js';
import { AUDIT_ORDER, type AuditFilter, type AuditRepository } from './audit.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface AuditFilterInput {
  actorId?: string | null;
  targetUserId?: string | null;
  action?: string | null;
  from?: Date | null;
  to?: Date | null;
}

function optionalUserId(field: string, value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (!UUID.test(value)) throw badUserInput(field, 'must be a user id (a UUID)');
  return value.toLowerCase();
}

function checkAuditFilter(input: AuditFilterInput): AuditFilter {
  const filter: AuditFilter = {
    actorId: optionalUserId('actorId', input.actorId),
    targetUserId: optionalUserId('targetUserId', input.targetUserId),
  };
  if (input.action !== null && input.action !== undefined) {
    if (!isAuditAction(input.action)) throw badUserInput('action', `must be one of ${AUDIT_ACTIONS.join(', ')}`);
    filter.action = input.action;
  }
  if (input.from) filter.from = input.from;
  if (input.to) filter.to = input.to;
  if (filter.from && filter.to && filter.from.getTime() >= filter.to.getTime()) throw badUserInput('to', 'must be later than from');
  return filter;
}

export class AuditService {
  constructor(private readonly entries: AuditRepository) {}

  list(page: PageArgs, input: AuditFilterInput) {
    const filter = checkAuditFilter(input);
    return this.entries.page(filter, pageRequest(page, keyKinds(AUDIT_ORDER)));
  }
}

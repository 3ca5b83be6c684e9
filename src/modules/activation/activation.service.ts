// Reading one customer and logging marketing contacts (SPEC §3, §4).
//  - customer(id): ADMIN and MARKETING_STAFF read any customer; a CUSTOMER only itself; a DELIVERY_BOY only
//    the customers assigned to him. Anyone else's id answers null, exactly as an unknown id does.
//  - recordCustomerContact: ADMIN and MARKETING_STAFF; sets firstContactAt once, firstCallAt on the first
//    call, lastContactAt every time.
import { recordAudit } from '../audit/index.js';
import type { Viewer } from '../../auth/viewer.js';
import type { ContactKind } from '../../generated/prisma/enums.js';
import type { Clock } from '../../shared/clock.js';
import { badUserInput, notFound } from '../../shared/errors.js';
import { refuseHiddenFormatting } from '../../shared/text.js';
import type { ActivationRepository } from './activation.repository.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NOTE_MAX_LENGTH = 2_000;

interface ScopedCustomer {
  id: string;
  userId: string;
  deliveryBoyId: string | null;
}

function canViewerReadCustomer(viewer: Viewer, customer: ScopedCustomer): boolean {
  if (viewer.roles.has('ADMIN') || viewer.roles.has('MARKETING_STAFF')) return true;
  if (viewer.roles.has('CUSTOMER') && customer.userId === viewer.userId) return true;
  return viewer.roles.has('DELIVERY_BOY') && viewer.deliveryBoyId !== null && customer.deliveryBoyId === viewer.deliveryBoyId;
}

export class ActivationService {
  constructor(
    private readonly repository: ActivationRepository,
    private readonly clock: Clock,
  ) {}

  async customer(viewer: Viewer, id: string) {
    if (!UUID.test(id)) return null;
    const customer = await this.repository.findCustomer(id);
    if (!customer || !canViewerReadCustomer(viewer, customer)) return null;
    return customer;
  }

  async recordContact(viewer: Viewer, customerId: string, kind: ContactKind, noteInput: string | null | undefined) {
    if (!UUID.test(customerId)) throw notFound('customer');
    const note = noteInput?.trim() ? noteInput.trim() : null;
    if (note && note.length > NOTE_MAX_LENGTH) throw badUserInput('note', `must be at most ${NOTE_MAX_LENGTH} characters`);
    if (note) refuseHiddenFormatting('note', note, { multiline: true });
    const at = this.clock.now();
    const customer = await this.repository.recordContact({ customerId, staffUserId: viewer.userId, kind, note, at }, (tx, contact, contacted) =>
      recordAudit(tx, {
        actorId: viewer.userId,
        targetUserId: contacted.userId,
        action: 'customer.contact',
        subject: { type: 'CustomerContact', id: contact.id },
        before: null,
        after: { customerId, kind, note },
        at,
      }),
    );
    if (!customer) throw notFound('customer');
    return customer;
  }
}

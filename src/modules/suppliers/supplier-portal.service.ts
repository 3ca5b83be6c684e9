// The supplier portal (SPEC §3, §6). Who may do what:
// - a supplier reads its own products, the orders that contain them (only its own lines; of the customer
//   only name and area), its earnings and its price-change requests; admins read any supplier's;
// - suppliers never see a customer's phone or address, so they may not filter on the phone either.
import { isAdmin, type Viewer } from '../../auth/viewer.js';
import { forbidden } from '../../shared/errors.js';
import { requirePhone } from '../../shared/identifiers.js';
import { requireText } from '../../shared/input-checks.js';
import type { SupplierOrderFilterValues } from './supplier.repository.js';

interface SupplierOrderFilterInput {
  status?: SupplierOrderFilterValues['status'] | null;
  customerArea?: string | null;
  customerPhone?: string | null;
}

export class SupplierPortalService {
  orderFilter(viewer: Viewer, filter: SupplierOrderFilterInput | null | undefined): SupplierOrderFilterValues {
    const values: SupplierOrderFilterValues = { status: filter?.status ?? null, customerArea: null, customerPhone: null };
    if (filter?.customerArea) values.customerArea = requireText('filter.customerArea', filter.customerArea);
    if (filter?.customerPhone) {
      if (!isAdmin(viewer)) throw forbidden('filter.customerPhone: you may not read this field');
      values.customerPhone = requirePhone('filter.customerPhone', filter.customerPhone);
    }
    return values;
  }
}

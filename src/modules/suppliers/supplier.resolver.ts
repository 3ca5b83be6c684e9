import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { money } from '../../shared/graphql/money.type.js';
import { PriceChangeRequest, PriceChangeStatus, Product } from '../catalogue/index.js';
import { Period } from '../delivery/earnings.type.js';
import { User } from '../identity/index.js';
import { pageRequest } from '../orders/index.js';
import { splitCommission } from './supplier-earnings.rules.js';
import { SupplierOrderFilter } from './supplier-order.input.js';
import { SupplierEarnings, SupplierOrderConnection } from './supplier-order.type.js';
import { Supplier } from './supplier.type.js';

interface SupplierRow {
  id: string;
  userId: string;
  commissionRateBps: number;
}

// Everything here is the supplier's own business: admins and the supplier itself, nobody else
// (marketing staff read customers, not supplier earnings).
@Resolver(() => Supplier)
export class SupplierFieldResolver {
  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => User, { nullable: true })
  user(@Root() supplier: SupplierRow, @Ctx() context: Context) {
    return context.loaders.userById.load(supplier.userId);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => [Product], { description: 'Its products, active or not, oldest first' })
  products(@Root() supplier: SupplierRow, @Ctx() context: Context) {
    return context.loaders.productsBySupplierId.load(supplier.id);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => SupplierOrderConnection, { description: 'Orders containing its products, newest first' })
  orders(
    @Root() supplier: SupplierRow,
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => SupplierOrderFilter, { nullable: true }) filter: SupplierOrderFilter | null,
    @Ctx() context: Context,
  ) {
    const values = context.services.supplierPortal.orderFilter(context.viewer!, filter);
    return context.loaders.supplierOrdersBySupplier.load({ parentId: supplier.id, ...pageRequest(first, after, 2), filter: values });
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => SupplierEarnings, { description: 'Lines of orders delivered in the IST period containing now' })
  async earnings(@Root() supplier: SupplierRow, @Arg('period', () => Period) period: Period, @Ctx() context: Context) {
    const gross = await context.loaders.supplierGrossBySupplier.load({ supplierId: supplier.id, period });
    const split = splitCommission(gross, supplier.commissionRateBps);
    return { period, gross: money(split.grossPaise), commission: money(split.commissionPaise), net: money(split.netPaise) };
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => [PriceChangeRequest], { description: 'Newest first' })
  priceChangeRequests(
    @Root() supplier: SupplierRow,
    @Arg('status', () => PriceChangeStatus, { nullable: true }) status: PriceChangeStatus | null,
    @Ctx() context: Context,
  ) {
    return context.loaders.priceChangeRequestsBySupplier.load({ supplierId: supplier.id, status: status ?? null });
  }
}

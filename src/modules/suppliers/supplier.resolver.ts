import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import type { Context } from '../context.js';
import { PageArgs } from '../../graphql/connection.type.js';
import { money } from '../../graphql/money.type.js';
import { PriceChangeRequest, PriceChangeStatus, Product } from '../catalogue/index.js';
import { Period } from '../delivery/index.js';
import { User } from '../identity/index.js';
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
  @FieldResolver(() => User, { nullable: true, description: 'The user this supplier facet belongs to.' })
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
    @Args(() => PageArgs) page: PageArgs,
    @Arg('filter', () => SupplierOrderFilter, { nullable: true, description: 'Narrows the list; every field given must match.' })
    filter: SupplierOrderFilter | null,
    @Ctx() context: Context,
  ) {
    const values = context.services.supplierPortal.orderFilter(context.viewer!, filter);
    return context.loaders.supplierOrdersBySupplier.page(supplier.id, page, values);
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => SupplierEarnings, { description: 'Its gross, commission and net from the lines of orders delivered in the IST period containing now.' })
  async earnings(
    @Root() supplier: SupplierRow,
    @Arg('period', () => Period, { description: 'Which period: TODAY, WEEK, MONTH or ALL_TIME.' }) period: Period,
    @Ctx() context: Context,
  ) {
    const gross = await context.loaders.supplierGrossBySupplier.load({ supplierId: supplier.id, period });
    const split = splitCommission(gross, supplier.commissionRateBps);
    return { period, gross: money(split.grossPaise), commission: money(split.commissionPaise), net: money(split.netPaise) };
  }

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @FieldResolver(() => [PriceChangeRequest], { description: 'Its price change requests, newest first.' })
  priceChangeRequests(
    @Root() supplier: SupplierRow,
    @Arg('status', () => PriceChangeStatus, { nullable: true, description: 'Only requests in this status; default all.' }) status: PriceChangeStatus | null,
    @Ctx() context: Context,
  ) {
    return context.loaders.priceChangeRequestsBySupplier.load({ supplierId: supplier.id, status: status ?? null });
  }
}

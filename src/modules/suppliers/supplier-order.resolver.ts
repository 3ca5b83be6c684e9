import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import type { Context } from '../../server/context.js';
import { Money, money } from '../../shared/graphql/money.type.js';
import { Product } from '../catalogue/index.js';
import { SupplierOrder, SupplierOrderLine } from './supplier-order.type.js';

interface SupplierOrderRow {
  id: string;
  customerId: string;
  supplierId: string;
}

interface LineRow {
  productId: string;
  unitPricePaise: number;
  lineTotalPaise: number;
}

// A customer's name and area only: never the phone or address (SPEC §3).
@Resolver(() => SupplierOrder)
export class SupplierOrderFieldResolver {
  @Public()
  @FieldResolver(() => String)
  async customerName(@Root() order: SupplierOrderRow, @Ctx() context: Context) {
    return (await context.loaders.customerById.load(order.customerId))?.name ?? '';
  }

  @Public()
  @FieldResolver(() => String, { nullable: true })
  async customerArea(@Root() order: SupplierOrderRow, @Ctx() context: Context) {
    return (await context.loaders.customerById.load(order.customerId))?.area ?? null;
  }

  @Public()
  @FieldResolver(() => [SupplierOrderLine], { description: "Only this supplier's lines" })
  lines(@Root() order: SupplierOrderRow, @Ctx() context: Context) {
    return context.loaders.supplierLinesByOrder.load({ orderId: order.id, supplierId: order.supplierId });
  }

  @Public()
  @FieldResolver(() => Money, { description: "The sum of this supplier's lines" })
  async supplierTotal(@Root() order: SupplierOrderRow, @Ctx() context: Context) {
    const lines = await context.loaders.supplierLinesByOrder.load({ orderId: order.id, supplierId: order.supplierId });
    return money(lines.reduce((sum, line) => sum + line.lineTotalPaise, 0));
  }
}

@Resolver(() => SupplierOrderLine)
export class SupplierOrderLineFieldResolver {
  @Public()
  @FieldResolver(() => Product)
  product(@Root() line: LineRow, @Ctx() context: Context) {
    return context.loaders.productById.load(line.productId);
  }

  @Public()
  @FieldResolver(() => Money)
  unitPrice(@Root() line: LineRow) {
    return money(line.unitPricePaise);
  }

  @Public()
  @FieldResolver(() => Money)
  lineTotal(@Root() line: LineRow) {
    return money(line.lineTotalPaise);
  }
}

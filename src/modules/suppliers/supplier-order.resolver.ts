import { FieldResolver, Resolver, Root } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import { Money, money } from '../../graphql/money.type.js';
import { Product } from '../catalogue/index.js';
import { SupplierOrder, SupplierOrderLine } from './supplier-order.type.js';
import type { SupplierLineRow, SupplierOrderRow } from './supplier.repository.js';

// The page query brings the customer's name and area (never the phone or address, SPEC §3) and only
// this supplier's lines with each order, so these fields answer synchronously from the row.
@Resolver(() => SupplierOrder)
export class SupplierOrderFieldResolver {
  @Public()
  @FieldResolver(() => String, { description: "The customer's name (suppliers never see the phone or address)." })
  customerName(@Root() order: SupplierOrderRow) {
    return order.customerName ?? '';
  }

  @Public()
  @FieldResolver(() => String, { nullable: true, description: "The customer's area; null when unset." })
  customerArea(@Root() order: SupplierOrderRow) {
    return order.customerArea ?? null;
  }

  @Public()
  @FieldResolver(() => [SupplierOrderLine], { description: "Only this supplier's lines of the order." })
  lines(@Root() order: SupplierOrderRow) {
    return order.lines;
  }

  @Public()
  @FieldResolver(() => Money, { description: "The sum of this supplier's line totals." })
  supplierTotal(@Root() order: SupplierOrderRow) {
    return money(order.lines.reduce((sum, line) => sum + line.lineTotalPaise, 0));
  }
}

@Resolver(() => SupplierOrderLine)
export class SupplierOrderLineFieldResolver {
  /** The page query brought the product with the line. */
  @Public()
  @FieldResolver(() => Product, { description: "The supplier's product on this line." })
  product(@Root() line: SupplierLineRow) {
    return line.product;
  }

  @Public()
  @FieldResolver(() => Money, { description: 'The price of one unit when the order was placed.' })
  unitPrice(@Root() line: SupplierLineRow) {
    return money(line.unitPricePaise);
  }

  @Public()
  @FieldResolver(() => Money, { description: 'unitPrice × quantity.' })
  lineTotal(@Root() line: SupplierLineRow) {
    return money(line.lineTotalPaise);
  }
}

// The supplier portal's view of orders (SPEC §6): only the supplier's own lines, and of the customer only
// the name and area. These are reachable only through Supplier.orders, whose grant decides who sees them.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import { ConnectionType } from '../../graphql/connection.type.js';
import { Money } from '../../graphql/money.type.js';
import { Period } from '../delivery/index.js';
import { OrderStatus } from '../orders/index.js';

@ObjectType({ simpleResolvers: true, description: "One line of an order for the supplier's product." })
export class SupplierOrderLine {
  productId!: string;
  unitPricePaise!: number;
  lineTotalPaise!: number;

  @Public()
  @Field(() => Int, { description: 'How many units were ordered.' })
  quantity!: number;
}

@ObjectType({ simpleResolvers: true, description: "An order that contains the supplier's products, showing only its own lines." })
export class SupplierOrder {
  @Public()
  @Field(() => ID, { description: "The order's id (Order.id); the order itself is not readable by suppliers." })
  orderId!: string;

  id!: string;
  customerId!: string;
  supplierId!: string;

  @Public()
  @Field(() => Date, { description: 'When the order was placed.' })
  placedAt!: Date;

  @Public()
  @Field(() => OrderStatus, { description: 'Where the whole order stands.' })
  status!: OrderStatus;
}

@ObjectType({ simpleResolvers: true, description: "Gross of delivered lines in the period, the commission at the supplier's rate, and net." })
export class SupplierEarnings {
  @Public()
  @Field(() => Period, { description: 'The period asked for.' })
  period!: Period;

  @Public()
  @Field(() => Money, { description: 'The line totals of its products on orders delivered in the period.' })
  gross!: Money;

  @Public()
  @Field(() => Money, { description: "The commission on gross at the supplier's rate (commissionRateBps)." })
  commission!: Money;

  @Public()
  @Field(() => Money, { description: 'gross − commission: what the supplier is owed for the period.' })
  net!: Money;
}

export const SupplierOrderConnection = ConnectionType('SupplierOrder', SupplierOrder);

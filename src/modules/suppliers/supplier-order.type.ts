// The supplier portal's view of orders (SPEC §6): only the supplier's own lines, and of the customer only
// the name and area. These are reachable only through Supplier.orders, whose grant decides who sees them.
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import { ConnectionType } from '../../shared/graphql/connection.type.js';
import { Money } from '../../shared/graphql/money.type.js';
import { Period } from '../delivery/earnings.type.js';
import { OrderStatus } from '../orders/order.type.js';

@ObjectType({ description: "One line of an order for the supplier's product." })
export class SupplierOrderLine {
  productId!: string;
  unitPricePaise!: number;
  lineTotalPaise!: number;

  @Public()
  @Field(() => Int)
  quantity!: number;
}

@ObjectType({ description: "An order that contains the supplier's products, showing only its own lines." })
export class SupplierOrder {
  @Public()
  @Field(() => ID)
  orderId!: string;

  id!: string;
  customerId!: string;
  supplierId!: string;

  @Public()
  @Field(() => Date)
  placedAt!: Date;

  @Public()
  @Field(() => OrderStatus)
  status!: OrderStatus;
}

@ObjectType({ description: 'Gross of delivered lines in the period, the commission at the supplier\'s rate, and net.' })
export class SupplierEarnings {
  @Public()
  @Field(() => Period)
  period!: Period;

  @Public()
  @Field(() => Money)
  gross!: Money;

  @Public()
  @Field(() => Money)
  commission!: Money;

  @Public()
  @Field(() => Money)
  net!: Money;
}

export const SupplierOrderConnection = ConnectionType('SupplierOrder', SupplierOrder);

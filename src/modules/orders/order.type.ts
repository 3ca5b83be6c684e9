import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { OrderStatus } from '../../generated/prisma/enums.js';
import { ConnectionType } from '../../shared/graphql/connection.type.js';
import { DateScalar } from '../../shared/graphql/scalars.js';

registerEnumType(OrderStatus, { name: 'OrderStatus' });

// Staff who look after customers read orders; a customer its own, a delivery boy the ones he delivers.
export const ORDER_STAFF = ['ADMIN', 'MARKETING_STAFF'] as const;

@ObjectType({ description: "A customer's order for one delivery date, with prices copied when it was placed." })
export class Order {
  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ID)
  id!: string;

  customerId!: string;
  deliveryBoyId!: string | null;
  subscriptionId!: string | null;
  totalPaise!: number;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => OrderStatus)
  status!: OrderStatus;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Date)
  placedAt!: Date;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => DateScalar, { description: 'The IST calendar day it is delivered on' })
  deliveryDate!: Date;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Date, { nullable: true })
  deliveredAt!: Date | null;
}

// Reachable only through Order.items, whose grant decides who sees it.
@ObjectType({ description: 'One line of an order: the unit price and supplier are copies taken at order time.' })
export class OrderItem {
  productId!: string;
  supplierId!: string;
  unitPricePaise!: number;
  lineTotalPaise!: number;

  @Public()
  @Field(() => Int)
  quantity!: number;
}

export const OrderConnection = ConnectionType('Order', Order);
export { OrderStatus };

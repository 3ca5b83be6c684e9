import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Auth, Public } from '../../auth/directives.js';
import { OrderStatus } from '../../generated/prisma/enums.js';
import { ConnectionType } from '../../graphql/connection.type.js';
import { DateScalar } from '../../graphql/scalars.js';

registerEnumType(OrderStatus, {
  name: 'OrderStatus',
  description: 'Where an order stands on its way to the customer.',
  valuesConfig: {
    PLACED: { description: 'Placed, waiting for its delivery date.' },
    OUT_FOR_DELIVERY: { description: 'On its way with the delivery boy.' },
    DELIVERED: { description: 'Delivered (markOrderDelivered); deliveredAt says when.' },
    NOT_DELIVERED: { description: 'An attempt failed; it can still be marked delivered.' },
    CANCELLED: { description: 'Cancelled: it will not be delivered and cannot be marked delivered.' },
  },
});

// Staff who look after customers read orders; a customer its own, a delivery boy the ones he delivers.
export const ORDER_STAFF = ['ADMIN', 'MARKETING_STAFF'] as const;

@ObjectType({ simpleResolvers: true, description: "A customer's order for one delivery date, with prices copied when it was placed." })
export class Order {
  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ID, { description: "The order's id, for order(id) and markOrderDelivered." })
  id!: string;

  customerId!: string;
  deliveryBoyId!: string | null;
  subscriptionId!: string | null;
  totalPaise!: number;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => OrderStatus, { description: 'Where the order stands.' })
  status!: OrderStatus;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Date, { description: 'When it was placed.' })
  placedAt!: Date;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => DateScalar, { description: 'The IST calendar day it is delivered on.' })
  deliveryDate!: Date;

  @Auth([...ORDER_STAFF])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When it was marked delivered; null until then.' })
  deliveredAt!: Date | null;
}

// Reachable only through Order.items, whose grant decides who sees it.
@ObjectType({ simpleResolvers: true, description: 'One line of an order: the unit price and supplier are copies taken at order time.' })
export class OrderItem {
  productId!: string;
  supplierId!: string;
  unitPricePaise!: number;
  lineTotalPaise!: number;

  @Public()
  @Field(() => Int, { description: 'How many units were ordered.' })
  quantity!: number;
}

export const OrderConnection = ConnectionType('Order', Order);
export { OrderStatus };

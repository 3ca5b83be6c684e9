// The statements of the planned operations (server/operation-plans.ts): each builds a whole answer's `data`
// in PostgreSQL, with `json_build_object` in the document's field order and `__typename` last in every
// selection set when the document asks for it (as the frontends' caches send it). Money comes out as
// `{ paise, formatted: null }` and cursors as their sort keys; operation-plans.ts fills both in, in place.

/** A timestamptz as the DateTime scalar prints it (ISO 8601, milliseconds, UTC). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/** Builds `json_build_object` with the fields in order and, with typenames, `__typename` last. */
export type ObjectBuilder = (typename: string, fields: readonly (readonly [string, string])[]) => string;

export function objectBuilder(typenames: boolean): ObjectBuilder {
  return (typename, fields) => {
    const pairs = fields.map(([key, value]) => `'${key}', ${value}`);
    if (typenames) pairs.push(`'__typename', '${typename}'`);
    return `json_build_object(${pairs.join(', ')})`;
  };
}

const money = (object: ObjectBuilder, paise: string) =>
  object('Money', [
    ['paise', paise],
    ['formatted', 'NULL'],
  ]);

/** Filled in by the server from the page's rows. */
const pageInfo = (object: ObjectBuilder) =>
  object('PageInfo', [
    ['hasNextPage', 'NULL'],
    ['endCursor', 'NULL'],
  ]);

/** `me`'s own fields ($1 the user's id; `u` the user row). */
const userFields = (): [string, string][] => [
  ['id', 'u."id"'],
  ['name', 'u."name"'],
  ['email', 'u."email"'],
  ['phone', 'u."phone"'],
  ['roles', 'u."roles"::text[]'],
  ['status', 'u."status"'],
  ['createdAt', iso('u."createdAt"')],
];

/** An order line (`i`, its product `p`) as the contract reads it: quantity, prices and the product's id and name. */
function pricedLine(object: ObjectBuilder, typename: 'OrderItem' | 'SupplierOrderLine'): string {
  return object(typename, [
    ['quantity', 'i."quantity"'],
    ['unitPrice', money(object, 'i."unitPricePaise"')],
    ['lineTotal', money(object, 'i."lineTotalPaise"')],
    [
      'product',
      object('Product', [
        ['id', 'p."id"'],
        ['name', 'p."name"'],
      ]),
    ],
  ]);
}

/** A page of a customer's orders, read one longer (`pageInfo` and cursors are filled in by the server). */
function customerOrders(object: ObjectBuilder): string {
  const item = pricedLine(object, 'OrderItem');
  const order = object('Order', [
    ['id', 'o."id"'],
    ['status', 'o."status"'],
    ['placedAt', iso('o."placedAt"')],
    ['deliveredAt', iso('o."deliveredAt"')],
    ['total', money(object, 'o."totalPaise"')],
    [
      'items',
      `COALESCE((SELECT json_agg(${item} ORDER BY i."id") FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id"), '[]'::json)`,
    ],
  ]);
  return object('OrderConnection', [
    ['totalCount', '(SELECT count(*) FROM "Order" WHERE "customerId" = c."id")'],
    ['pageInfo', pageInfo(object)],
    [
      'edges',
      `COALESCE((SELECT json_agg(${object('OrderEdge', [
        ['cursor', `json_build_array(${iso('o."placedAt"')}, o."id")`],
        ['node', order],
      ])} ORDER BY o."placedAt" DESC, o."id" DESC)
        FROM (SELECT * FROM "Order" WHERE "customerId" = c."id" ORDER BY "placedAt" DESC, "id" DESC LIMIT 21) o), '[]'::json)`,
    ],
  ]);
}

/** The first 20 of a customer's subscriptions with their products, and their count. */
function customerSubscriptions(object: ObjectBuilder): string {
  const subscription = object('Subscription', [
    ['id', 's."id"'],
    ['quantity', 's."quantity"'],
    ['pattern', 's."pattern"'],
    ['shift', 's."shift"'],
    ['status', 's."status"'],
    [
      'product',
      object('Product', [
        ['id', 'p."id"'],
        ['name', 'p."name"'],
        ['unit', 'p."unit"'],
        ['price', money(object, 'p."pricePaise"')],
      ]),
    ],
  ]);
  return object('SubscriptionConnection', [
    ['totalCount', '(SELECT count(*) FROM "Subscription" WHERE "customerId" = c."id")'],
    [
      'edges',
      `COALESCE((SELECT json_agg(${object('SubscriptionEdge', [['node', subscription]])} ORDER BY s."createdAt", s."id")
        FROM (SELECT * FROM "Subscription" WHERE "customerId" = c."id" ORDER BY "createdAt", "id" LIMIT 20) s
        JOIN "Product" p ON p."id" = s."productId"), '[]'::json)`,
    ],
  ]);
}

/** The customer facet in full: the contract `Me` of a customer. */
function customerFacet(object: ObjectBuilder): string {
  return `(SELECT ${object('Customer', [
    ['id', 'c."id"'],
    ['name', 'c."name"'],
    ['phone', 'c."phone"'],
    ['address', 'c."address"'],
    ['area', 'c."area"'],
    ['activationStatus', 'c."activationStatus"'],
    ['signupAt', iso('c."signupAt"')],
    ['firstOrderAt', iso('c."firstOrderAt"')],
    ['firstDeliveryAt', iso('c."firstDeliveryAt"')],
    ['lastOrderAt', iso('c."lastOrderAt"')],
    ['onboardingCompleted', 'c."onboardingCompleted"'],
    ['welcomeMessageSent', 'c."welcomeMessageSent"'],
    [
      'deliveryBoy',
      `(SELECT ${object('DeliveryBoy', [
        ['id', 'd."id"'],
        ['name', 'du."name"'],
      ])} FROM "DeliveryBoy" d JOIN "User" du ON du."id" = d."userId" WHERE d."id" = c."deliveryBoyId")`,
    ],
    ['subscriptions', customerSubscriptions(object)],
    ['orders', customerOrders(object)],
  ])} FROM "Customer" c WHERE c."userId" = u."id")`;
}

/** Deliveries and their amount in [$from, $from + 1), or all time. */
function earnings(object: ObjectBuilder, period: string, from: number | null): string {
  const within = from === null ? '' : ` FILTER (WHERE e."deliveredAt" >= $${from}::timestamptz AND e."deliveredAt" < $${from + 1}::timestamptz)`;
  return object('Earnings', [
    ['period', `'${period}'`],
    ['deliveries', `(SELECT count(*)${within} FROM "Delivery" e WHERE e."deliveryBoyId" = d."id")`],
    ['amount', money(object, `(SELECT COALESCE(sum(e."ratePaise")${within}, 0) FROM "Delivery" e WHERE e."deliveryBoyId" = d."id")`)],
  ]);
}

/** The delivery-boy facet in full ($2/$3, $4/$5, $6/$7: today, this week and this month in IST as [from, to)). */
function deliveryBoyFacet(object: ObjectBuilder): string {
  const earned = `(SELECT COALESCE(sum(e."ratePaise"), 0) FROM "Delivery" e WHERE e."deliveryBoyId" = d."id")`;
  const paid = `(SELECT COALESCE(sum(p."amountPaise"), 0) FROM "Payout" p WHERE p."deliveryBoyId" = d."id")`;
  return `(SELECT ${object('DeliveryBoy', [
    ['id', 'd."id"'],
    ['status', 'd."status"'],
    ['paymentFrequency', 'd."paymentFrequency"'],
    ['ratePerDelivery', money(object, 'd."ratePerDeliveryPaise"')],
    ['today', earnings(object, 'TODAY', 2)],
    ['week', earnings(object, 'WEEK', 4)],
    ['month', earnings(object, 'MONTH', 6)],
    ['allTime', earnings(object, 'ALL_TIME', null)],
    ['unpaidBalance', money(object, `${earned} - ${paid}`)],
    [
      'lastPayout',
      `(SELECT ${object('Payout', [
        ['amount', money(object, 'p."amountPaise"')],
        ['paidAt', iso('p."paidAt"')],
      ])} FROM "Payout" p WHERE p."deliveryBoyId" = d."id" ORDER BY p."paidAt" DESC, p."id" DESC LIMIT 1)`,
    ],
  ])} FROM "DeliveryBoy" d WHERE d."userId" = u."id")`;
}

/** The contract `Me` of a customer ($1 user id), who has neither of the other facets. */
export function customerMeStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  return `SELECT json_build_object('me', ${object('User', [
    ...userFields(),
    ['customer', customerFacet(object)],
    ['deliveryBoy', 'NULL'],
    ['supplier', 'NULL'],
  ])}) AS "data" FROM "User" u WHERE u."id" = $1::uuid`;
}

/** The contract `Me` of a delivery boy ($1 user id, then the three periods' ranges), who has neither of the other facets. */
export function deliveryBoyMeStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  return `SELECT json_build_object('me', ${object('User', [
    ...userFields(),
    ['customer', 'NULL'],
    ['deliveryBoy', deliveryBoyFacet(object)],
    ['supplier', 'NULL'],
  ])}) AS "data" FROM "User" u WHERE u."id" = $1::uuid`;
}

/** The contract `MyRoute` ($1 the delivery boy's id, $2 today's IST date): his orders for today, cancelled ones left out. */
export function myRouteStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  const item = object('OrderItem', [
    ['quantity', 'i."quantity"'],
    [
      'product',
      object('Product', [
        ['name', 'p."name"'],
        ['unit', 'p."unit"'],
      ]),
    ],
  ]);
  const order = object('Order', [
    ['id', 'o."id"'],
    ['status', 'o."status"'],
    [
      'customer',
      object('Customer', [
        ['name', 'c."name"'],
        ['phone', 'c."phone"'],
        ['address', 'c."address"'],
        ['area', 'c."area"'],
      ]),
    ],
    [
      'items',
      `COALESCE((SELECT json_agg(${item} ORDER BY i."id") FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id"), '[]'::json)`,
    ],
  ]);
  const facet = object('DeliveryBoy', [
    [
      'todaysOrders',
      `COALESCE((SELECT json_agg(${order} ORDER BY o."placedAt", o."id") FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
        WHERE o."deliveryBoyId" = d."id" AND o."deliveryDate" = $2::date AND o."status" <> 'CANCELLED'), '[]'::json)`,
    ],
  ]);
  return `SELECT json_build_object('me', ${object('User', [['deliveryBoy', facet]])}) AS "data" FROM "DeliveryBoy" d WHERE d."id" = $1::uuid`;
}

/** A page of the supplier's orders ($1 supplier via `s`, $2 the page size), read one longer, with its lines. */
function supplierOrders(object: ObjectBuilder): string {
  const line = pricedLine(object, 'SupplierOrderLine');
  const order = object('SupplierOrder', [
    ['orderId', 'o."id"'],
    ['placedAt', iso('o."placedAt"')],
    ['status', 'o."status"'],
    ['customerName', 'o."customerName"'],
    ['customerArea', 'o."customerArea"'],
    [
      'lines',
      `COALESCE((SELECT json_agg(${line} ORDER BY i."id") FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId"
        WHERE i."orderId" = o."id" AND i."supplierId" = s."id"), '[]'::json)`,
    ],
    ['supplierTotal', money(object, `(SELECT COALESCE(sum(i."lineTotalPaise"), 0) FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = s."id")`)],
  ]);
  const ofSupplier = `EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = s."id")`;
  return object('SupplierOrderConnection', [
    ['totalCount', `(SELECT count(*) FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId" WHERE ${ofSupplier})`],
    ['pageInfo', pageInfo(object)],
    [
      'edges',
      `COALESCE((SELECT json_agg(${object('SupplierOrderEdge', [
        ['cursor', `json_build_array(${iso('o."placedAt"')}, o."id")`],
        ['node', order],
      ])} ORDER BY o."placedAt" DESC, o."id" DESC)
        FROM (SELECT o.*, c."name" AS "customerName", c."area" AS "customerArea" FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
          WHERE ${ofSupplier} ORDER BY o."placedAt" DESC, o."id" DESC LIMIT $2::int + 1) o), '[]'::json)`,
    ],
  ]);
}

/**
 * The contract `SupplierPortal` ($1 the supplier's id, $2 the page size, $3/$4 this IST month as [from, to)),
 * its first page only. The month's commission and net are left to the server's commission rule, as
 * `{ paise: null }`.
 */
export function supplierPortalStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  const gross = `(SELECT COALESCE(sum(i."lineTotalPaise"), 0) FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId"
    WHERE i."supplierId" = s."id" AND o."status" = 'DELIVERED' AND o."deliveredAt" >= $3::timestamptz AND o."deliveredAt" < $4::timestamptz)`;
  const supplier = object('Supplier', [
    ['id', 's."id"'],
    ['businessName', 's."businessName"'],
    ['commissionRateBps', 's."commissionRateBps"'],
    [
      'products',
      `COALESCE((SELECT json_agg(${object('Product', [
        ['id', 'p."id"'],
        ['name', 'p."name"'],
        ['active', 'p."active"'],
        ['price', money(object, 'p."pricePaise"')],
      ])} ORDER BY p."createdAt", p."id") FROM "Product" p WHERE p."supplierId" = s."id"), '[]'::json)`,
    ],
    ['orders', supplierOrders(object)],
    [
      'month',
      object('SupplierEarnings', [
        ['period', `'MONTH'`],
        ['gross', money(object, gross)],
        ['commission', money(object, 'NULL')],
        ['net', money(object, 'NULL')],
      ]),
    ],
    [
      'priceChangeRequests',
      `COALESCE((SELECT json_agg(${object('PriceChangeRequest', [
        ['id', 'r."id"'],
        ['status', 'r."status"'],
        ['requestedPrice', money(object, 'r."requestedPricePaise"')],
        ['product', object('Product', [['id', 'r."productId"']])],
      ])} ORDER BY r."createdAt" DESC, r."id" DESC) FROM "PriceChangeRequest" r WHERE r."supplierId" = s."id"), '[]'::json)`,
    ],
  ]);
  return `SELECT json_build_object('me', ${object('User', [['supplier', supplier]])}) AS "data" FROM "Supplier" s WHERE s."id" = $1::uuid`;
}

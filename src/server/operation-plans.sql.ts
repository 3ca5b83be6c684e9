// The statements of the planned operations (server/operation-plans.ts): each builds a whole answer's `data`
// in PostgreSQL as the exact JSON text the general path sends, so the server passes it on without parsing
// or printing it again. The text is concatenated here rather than built with `json_build_object`, whose
// output has spaces JSON.stringify does not: keys in the document's field order, `__typename` last in every
// selection set when the document asks for it (as the frontends' caches send it), strings escaped by
// `to_json` (the same escapes as JSON.stringify), money formatted, cursors encoded and `pageInfo` derived
// from the page read one row longer. An amount that does not fit the `Int` that `paise` is fails the
// statement (PostgreSQL's "integer out of range"), and the general path answers it with its own error.
//
// Every fragment below is SQL that evaluates to JSON text.

/** A value's JSON text (`null` for NULL): numbers, booleans, strings, enums and arrays of them. */
const scalar = (sql: string) => `COALESCE(to_json(${sql})::text, 'null')`;

/** A JSON string whose text is already safe (ISO dates, base64url, formatted money): quoted, or `null`. */
const quoted = (sql: string) => `COALESCE('"' || ${sql} || '"', 'null')`;

/** A timestamptz as the DateTime scalar prints it (ISO 8601, milliseconds, UTC), as SQL text. */
const isoText = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const iso = (column: string) => quoted(isoText(column));

/** Builds a JSON object with the fields in order and, with typenames, `__typename` last. */
export type ObjectBuilder = (typename: string, fields: readonly (readonly [string, string])[]) => string;

export function objectBuilder(typenames: boolean): ObjectBuilder {
  return (typename, fields) => {
    const parts = fields.map(([key, value], index) => `'${index === 0 ? '{' : ','}"${key}":' || ${value}`);
    if (typenames) parts.push(`',"__typename":"${typename}"'`);
    return `(${parts.join(' || ')} || '}')`;
  };
}

/** A JSON array of `element` over the rows of `from` (`FROM …`), in `order`; `[]` when there are none. */
const list = (element: string, order: string, from: string) => `COALESCE((SELECT '[' || string_agg(${element}, ',' ORDER BY ${order}) || ']' ${from}), '[]')`;

/** A nested object read by a subquery (`FROM …`): `null` when there is no row. */
const single = (element: string, from: string) => `COALESCE((SELECT ${element} ${from}), 'null')`;

/**
 * `formatPaise` (shared/money.ts) of an int4 `v`: sign, ₹, the rupees grouped the Indian way (12,34,567;
 * an int4 has at most eight digits of rupees) and two digits of paise.
 */
export const formattedPaise = (v: string) =>
  `CASE WHEN ${v} < 0 THEN '-' ELSE '' END || '₹' || to_char(abs(${v}::int8) / 100, 'FM9,99,99,999') || '.' || lpad((abs(${v}::int8) % 100)::text, 2, '0')`;

/** Money from a column or arithmetic on columns (cheap to evaluate again), cast to int4 (which fails beyond `Int`). */
const money = (object: ObjectBuilder, paise: string) =>
  object('Money', [
    ['paise', `(${paise})::int4::text`],
    ['formatted', `'"' || ${formattedPaise(`(${paise})::int4`)} || '"'`],
  ]);

/** Money from a subquery, evaluated once. */
const moneyOnce = (object: ObjectBuilder, paise: string) => `(SELECT ${money(object, 'm.v')} FROM (SELECT (${paise})::int4 AS v OFFSET 0) m)`;

/** A cursor as encodeCursor (shared/pagination.ts) makes it of [placedAt, id]: base64url of that JSON. */
const placedAtCursor = (row: string) =>
  `translate(encode(convert_to('["' || ${isoText(`${row}."placedAt"`)} || '","' || ${row}."id" || '"]', 'UTF8'), 'base64'), E'+/=\\n', '-_')`;

/**
 * A connection's `pageInfo` and `edges`, aggregated over rows `o` read one more than `size` and numbered
 * `rn` in page order: the extra row says there is a next page; the last row shown gives
 * `endCursor`. `node` is the edge's node; with `edgeCursors` each edge brings its own cursor.
 */
function pagedEdges(
  object: ObjectBuilder,
  { typename, size, node, cursor, edgeCursors }: { typename: string; size: string; node: string; cursor: string; edgeCursors: boolean },
): [string, string][] {
  const edge = object(
    typename,
    edgeCursors
      ? [
          ['cursor', `'"' || ${cursor} || '"'`],
          ['node', node],
        ]
      : [['node', node]],
  );
  return [
    [
      'pageInfo',
      object('PageInfo', [
        ['hasNextPage', `(count(*) > ${size})::text`],
        ['endCursor', quoted(`(array_agg(${cursor} ORDER BY o.rn))[least(count(*), ${size})]`)],
      ]),
    ],
    ['edges', `COALESCE('[' || string_agg(${edge}, ',' ORDER BY o.rn) FILTER (WHERE o.rn <= ${size}) || ']', '[]')`],
  ];
}

/** `me`'s own fields ($1 the user's id; `u` the user row; `locked`: whether a lockout is in force). */
const userFields = (locked: string): [string, string][] => [
  ['id', scalar('u."id"')],
  ['name', scalar('u."name"')],
  ['email', scalar('u."email"')],
  ['phone', scalar('u."phone"')],
  ['roles', scalar('u."roles"::text[]')],
  ['status', scalar(`CASE WHEN u."status" = 'ACTIVE' AND ${locked} THEN 'LOCKED' ELSE u."status"::text END`)],
  ['createdAt', iso('u."createdAt"')],
];

/** An order line (`i`, its product `p`) as the contract reads it: quantity, prices and the product's id and name. */
function pricedLine(object: ObjectBuilder, typename: 'OrderItem' | 'SupplierOrderLine'): string {
  return object(typename, [
    ['quantity', scalar('i."quantity"')],
    ['unitPrice', money(object, 'i."unitPricePaise"')],
    ['lineTotal', money(object, 'i."lineTotalPaise"')],
    [
      'product',
      object('Product', [
        ['id', scalar('p."id"')],
        ['name', scalar('p."name"')],
      ]),
    ],
  ]);
}

const CUSTOMER_ORDERS_PAGE = 20;

/** The first page of a customer's orders, with their count. */
function customerOrders(object: ObjectBuilder): string {
  const item = pricedLine(object, 'OrderItem');
  const order = object('Order', [
    ['id', scalar('o."id"')],
    ['status', scalar('o."status"')],
    ['placedAt', iso('o."placedAt"')],
    ['deliveredAt', iso('o."deliveredAt"')],
    ['total', money(object, 'o."totalPaise"')],
    ['items', list(item, 'i."id"', `FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id"`)],
  ]);
  const page = object('OrderConnection', [
    ['totalCount', `(SELECT count(*) FROM "Order" WHERE "customerId" = c."id")::text`],
    ...pagedEdges(object, { typename: 'OrderEdge', size: String(CUSTOMER_ORDERS_PAGE), node: order, cursor: placedAtCursor('o'), edgeCursors: true }),
  ]);
  return `(SELECT ${page} FROM (SELECT *, row_number() OVER (ORDER BY "placedAt" DESC, "id" DESC) AS rn
    FROM "Order" WHERE "customerId" = c."id" ORDER BY "placedAt" DESC, "id" DESC LIMIT ${CUSTOMER_ORDERS_PAGE + 1}) o)`;
}

/** The first 20 of a customer's subscriptions with their products, and their count. */
function customerSubscriptions(object: ObjectBuilder): string {
  const subscription = object('Subscription', [
    ['id', scalar('s."id"')],
    ['quantity', scalar('s."quantity"')],
    ['pattern', scalar('s."pattern"')],
    ['shift', scalar('s."shift"')],
    ['status', scalar('s."status"')],
    [
      'product',
      object('Product', [
        ['id', scalar('p."id"')],
        ['name', scalar('p."name"')],
        ['unit', scalar('p."unit"')],
        ['price', money(object, 'p."pricePaise"')],
      ]),
    ],
  ]);
  return object('SubscriptionConnection', [
    ['totalCount', '(SELECT count(*) FROM "Subscription" WHERE "customerId" = c."id")::text'],
    [
      'edges',
      list(
        object('SubscriptionEdge', [['node', subscription]]),
        's."createdAt", s."id"',
        `FROM (SELECT * FROM "Subscription" WHERE "customerId" = c."id" ORDER BY "createdAt", "id" LIMIT 20) s JOIN "Product" p ON p."id" = s."productId"`,
      ),
    ],
  ]);
}

/** The customer facet in full: the contract `Me` of a customer. */
function customerFacet(object: ObjectBuilder): string {
  const facet = object('Customer', [
    ['id', scalar('c."id"')],
    ['name', scalar('c."name"')],
    ['phone', scalar('c."phone"')],
    ['address', scalar('c."address"')],
    ['area', scalar('c."area"')],
    ['activationStatus', scalar('c."activationStatus"')],
    ['signupAt', iso('c."signupAt"')],
    ['firstOrderAt', iso('c."firstOrderAt"')],
    ['firstDeliveryAt', iso('c."firstDeliveryAt"')],
    ['lastOrderAt', iso('c."lastOrderAt"')],
    ['onboardingCompleted', scalar('c."onboardingCompleted"')],
    ['welcomeMessageSent', scalar('c."welcomeMessageSent"')],
    [
      'deliveryBoy',
      single(
        object('DeliveryBoy', [
          ['id', scalar('d."id"')],
          ['name', scalar('du."name"')],
        ]),
        `FROM "DeliveryBoy" d JOIN "User" du ON du."id" = d."userId" WHERE d."id" = c."deliveryBoyId"`,
      ),
    ],
    ['subscriptions', customerSubscriptions(object)],
    ['orders', customerOrders(object)],
  ]);
  return single(facet, `FROM "Customer" c WHERE c."userId" = u."id"`);
}

/** Deliveries and their amount in [$from, $from + 1), or all time. */
function earnings(object: ObjectBuilder, period: string, from: number | null): string {
  const within = from === null ? '' : ` FILTER (WHERE e."deliveredAt" >= $${from}::timestamptz AND e."deliveredAt" < $${from + 1}::timestamptz)`;
  return object('Earnings', [
    ['period', `'"${period}"'`],
    ['deliveries', `(SELECT count(*)${within} FROM "Delivery" e WHERE e."deliveryBoyId" = d."id")::int4::text`],
    ['amount', moneyOnce(object, `(SELECT COALESCE(sum(e."ratePaise")${within}, 0) FROM "Delivery" e WHERE e."deliveryBoyId" = d."id")`)],
  ]);
}

/** The delivery-boy facet in full ($3/$4, $5/$6, $7/$8: today, this week and this month in IST as [from, to)). */
function deliveryBoyFacet(object: ObjectBuilder): string {
  const earned = `(SELECT COALESCE(sum(e."ratePaise"), 0) FROM "Delivery" e WHERE e."deliveryBoyId" = d."id")`;
  const paid = `(SELECT COALESCE(sum(p."amountPaise"), 0) FROM "Payout" p WHERE p."deliveryBoyId" = d."id")`;
  const facet = object('DeliveryBoy', [
    ['id', scalar('d."id"')],
    ['status', scalar('d."status"')],
    ['paymentFrequency', scalar('d."paymentFrequency"')],
    ['ratePerDelivery', money(object, 'd."ratePerDeliveryPaise"')],
    ['today', earnings(object, 'TODAY', 3)],
    ['week', earnings(object, 'WEEK', 5)],
    ['month', earnings(object, 'MONTH', 7)],
    ['allTime', earnings(object, 'ALL_TIME', null)],
    ['unpaidBalance', moneyOnce(object, `${earned} - ${paid}`)],
    [
      'lastPayout',
      single(
        object('Payout', [
          ['amount', money(object, 'p."amountPaise"')],
          ['paidAt', iso('p."paidAt"')],
        ]),
        `FROM (SELECT * FROM "Payout" WHERE "deliveryBoyId" = d."id" ORDER BY "paidAt" DESC, "id" DESC LIMIT 1) p`,
      ),
    ],
  ]);
  return single(facet, `FROM "DeliveryBoy" d WHERE d."userId" = u."id"`);
}

/** The contract `Me` of a customer ($1 user id, $2 whether a lockout is in force), who has neither of the other facets. */
export function customerMeStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  return `SELECT '{"me":' || ${object('User', [
    ...userFields('$2::boolean'),
    ['customer', customerFacet(object)],
    ['deliveryBoy', `'null'`],
    ['supplier', `'null'`],
  ])} || '}' AS "data" FROM "User" u WHERE u."id" = $1::uuid`;
}

/**
 * The contract `Me` of a delivery boy ($1 user id, $2 whether a lockout is in force, then the three periods'
 * ranges), who has neither of the other facets.
 */
export function deliveryBoyMeStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  return `SELECT '{"me":' || ${object('User', [
    ...userFields('$2::boolean'),
    ['customer', `'null'`],
    ['deliveryBoy', deliveryBoyFacet(object)],
    ['supplier', `'null'`],
  ])} || '}' AS "data" FROM "User" u WHERE u."id" = $1::uuid`;
}

/** The contract `MyRoute` ($1 the delivery boy's id, $2 today's IST date): his orders for today, cancelled ones left out. */
export function myRouteStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  const item = object('OrderItem', [
    ['quantity', scalar('i."quantity"')],
    [
      'product',
      object('Product', [
        ['name', scalar('p."name"')],
        ['unit', scalar('p."unit"')],
      ]),
    ],
  ]);
  const order = object('Order', [
    ['id', scalar('o."id"')],
    ['status', scalar('o."status"')],
    [
      'customer',
      object('Customer', [
        ['name', scalar('c."name"')],
        ['phone', scalar('c."phone"')],
        ['address', scalar('c."address"')],
        ['area', scalar('c."area"')],
      ]),
    ],
    ['items', list(item, 'i."id"', `FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id"`)],
  ]);
  const facet = object('DeliveryBoy', [
    [
      'todaysOrders',
      list(
        order,
        'o."placedAt", o."id"',
        `FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
        WHERE o."deliveryBoyId" = d."id" AND o."deliveryDate" = $2::date AND o."status" <> 'CANCELLED'`,
      ),
    ],
  ]);
  return `SELECT '{"me":' || ${object('User', [['deliveryBoy', facet]])} || '}' AS "data" FROM "DeliveryBoy" d WHERE d."id" = $1::uuid`;
}

/** The first page of the supplier's orders ($1 supplier via `s`, $2 the page size), with their lines and count. */
function supplierOrders(object: ObjectBuilder): string {
  const line = pricedLine(object, 'SupplierOrderLine');
  const order = object('SupplierOrder', [
    ['orderId', scalar('o."id"')],
    ['placedAt', iso('o."placedAt"')],
    ['status', scalar('o."status"')],
    ['customerName', scalar('o."customerName"')],
    ['customerArea', scalar('o."customerArea"')],
    ['lines', list(line, 'i."id"', `FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id" AND i."supplierId" = s."id"`)],
    [
      'supplierTotal',
      moneyOnce(object, `(SELECT COALESCE(sum(i."lineTotalPaise"), 0) FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = s."id")`),
    ],
  ]);
  const ofSupplier = `EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = s."id")`;
  const page = object('SupplierOrderConnection', [
    ['totalCount', `(SELECT count(*) FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId" WHERE ${ofSupplier})::text`],
    ...pagedEdges(object, { typename: 'SupplierOrderEdge', size: '$2::int', node: order, cursor: placedAtCursor('o'), edgeCursors: false }),
  ]);
  return `(SELECT ${page} FROM (SELECT o.*, c."name" AS "customerName", c."area" AS "customerArea",
      row_number() OVER (ORDER BY o."placedAt" DESC, o."id" DESC) AS rn
    FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
    WHERE ${ofSupplier} ORDER BY o."placedAt" DESC, o."id" DESC LIMIT $2::int + 1) o)`;
}

/**
 * The contract `SupplierPortal` ($1 the supplier's id, $2 the page size, $3/$4 this IST month as [from, to)),
 * its first page only. The month's commission follows splitCommission (modules/suppliers): half a paisa
 * and more rounds up. `general` is true for a supplier the rule refuses (a rate outside 0–100 %).
 */
export function supplierPortalStatement(typenames: boolean): string {
  const object = objectBuilder(typenames);
  const gross = `(SELECT COALESCE(sum(i."lineTotalPaise"), 0) FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId"
    WHERE i."supplierId" = s."id" AND o."status" = 'DELIVERED' AND o."deliveredAt" >= $3::timestamptz AND o."deliveredAt" < $4::timestamptz)`;
  const commission = `(g.gross * s."commissionRateBps" + 5000) / 10000`;
  const supplier = object('Supplier', [
    ['id', scalar('s."id"')],
    ['businessName', scalar('s."businessName"')],
    ['commissionRateBps', scalar('s."commissionRateBps"')],
    [
      'products',
      list(
        object('Product', [
          ['id', scalar('p."id"')],
          ['name', scalar('p."name"')],
          ['active', scalar('p."active"')],
          ['price', money(object, 'p."pricePaise"')],
        ]),
        'p."createdAt", p."id"',
        `FROM "Product" p WHERE p."supplierId" = s."id"`,
      ),
    ],
    ['orders', supplierOrders(object)],
    [
      'month',
      object('SupplierEarnings', [
        ['period', `'"MONTH"'`],
        ['gross', money(object, 'g.gross')],
        ['commission', money(object, commission)],
        ['net', money(object, `g.gross - ${commission}`)],
      ]),
    ],
    [
      'priceChangeRequests',
      list(
        object('PriceChangeRequest', [
          ['id', scalar('r."id"')],
          ['status', scalar('r."status"')],
          ['requestedPrice', money(object, 'r."requestedPricePaise"')],
          ['product', object('Product', [['id', scalar('r."productId"')]])],
        ]),
        'r."createdAt" DESC, r."id" DESC',
        `FROM "PriceChangeRequest" r WHERE r."supplierId" = s."id"`,
      ),
    ],
  ]);
  return `SELECT '{"me":' || ${object('User', [['supplier', supplier]])} || '}' AS "data",
    (s."commissionRateBps" NOT BETWEEN 0 AND 10000 OR g.gross < 0) AS "general"
    FROM "Supplier" s CROSS JOIN LATERAL (SELECT ${gross}::int8 AS gross OFFSET 0) g WHERE s."id" = $1::uuid`;
}

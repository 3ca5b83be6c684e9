// The raw baseline's hand-written SQL: each operation's whole answer built by PostgreSQL in one statement
// (json_build_object), so the baseline pays one round trip for the session and one for the data: the
// limit of this stack (Node, node-postgres, PostgreSQL) on this machine. Money comes out as bare paise,
// cursors as their keys; the server adds the Indian formatting and the base64url cursors (bench/raw-baseline.server.ts).

/** A timestamptz as the DateTime scalar prints it (ISO 8601, milliseconds, UTC). */
const iso = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const money = (column: string) => `json_build_object('paise', ${column})`;

export const SESSION_SQL = `
  SELECT u."roles"::text[] AS roles, s2."id"::text AS "supplierId"
  FROM "Session" ss JOIN "User" u ON u."id" = ss."userId"
  LEFT JOIN "Supplier" s2 ON s2."userId" = u."id"
  WHERE ss."id" = $1::uuid AND ss."userId" = $2::uuid AND ss."revokedAt" IS NULL AND ss."expiresAt" > now() AND u."status" = 'ACTIVE'`;

const PRODUCT_BRIEF = `json_build_object('id', p."id", 'name', p."name")`;

const ORDER_NODE = `json_build_object(
  'id', o."id", 'status', o."status", 'placedAt', ${iso('o."placedAt"')}, 'deliveredAt', ${iso('o."deliveredAt"')},
  'total', ${money('o."totalPaise"')},
  'items', COALESCE((SELECT json_agg(json_build_object('quantity', i."quantity", 'unitPrice', ${money('i."unitPricePaise"')},
      'lineTotal', ${money('i."lineTotalPaise"')}, 'product', ${PRODUCT_BRIEF}) ORDER BY i."id")
    FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id"), '[]'::json))`;

const CUSTOMER = `(SELECT json_build_object(
    'id', c."id", 'name', c."name", 'phone', c."phone", 'address', c."address", 'area', c."area",
    'activationStatus', c."activationStatus", 'signupAt', ${iso('c."signupAt"')}, 'firstOrderAt', ${iso('c."firstOrderAt"')},
    'firstDeliveryAt', ${iso('c."firstDeliveryAt"')}, 'lastOrderAt', ${iso('c."lastOrderAt"')},
    'onboardingCompleted', c."onboardingCompleted", 'welcomeMessageSent', c."welcomeMessageSent",
    'deliveryBoy', (SELECT json_build_object('id', d."id", 'name', du."name") FROM "DeliveryBoy" d JOIN "User" du ON du."id" = d."userId" WHERE d."id" = c."deliveryBoyId"),
    'subscriptions', json_build_object(
      'totalCount', (SELECT count(*) FROM "Subscription" WHERE "customerId" = c."id"),
      'edges', COALESCE((SELECT json_agg(json_build_object('node', json_build_object('id', s."id", 'quantity', s."quantity",
          'pattern', s."pattern", 'shift', s."shift", 'status', s."status",
          'product', json_build_object('id', p."id", 'name', p."name", 'unit', p."unit", 'price', ${money('p."pricePaise"')}))) ORDER BY s."createdAt", s."id")
        FROM (SELECT * FROM "Subscription" WHERE "customerId" = c."id" ORDER BY "createdAt", "id" LIMIT 20) s
        JOIN "Product" p ON p."id" = s."productId"), '[]'::json)),
    'orders', json_build_object(
      'totalCount', (SELECT count(*) FROM "Order" WHERE "customerId" = c."id"),
      'edges', COALESCE((SELECT json_agg(json_build_object('key', json_build_array(${iso('o."placedAt"')}, o."id"), 'node', ${ORDER_NODE})
          ORDER BY o."placedAt" DESC, o."id" DESC)
        FROM (SELECT * FROM "Order" WHERE "customerId" = c."id" ORDER BY "placedAt" DESC, "id" DESC LIMIT 21) o), '[]'::json)))
  FROM "Customer" c WHERE c."userId" = u."id")`;

const SUPPLIER_BRIEF = `(SELECT json_build_object('id', s."id", 'businessName', s."businessName", 'commissionRateBps', s."commissionRateBps")
  FROM "Supplier" s WHERE s."userId" = u."id")`;

/** `Me` for a customer ($1 user id). The bench customer has no delivery-boy facet: only its absence is read. */
export const ME_SQL = `
  SELECT json_build_object(
    'id', u."id", 'name', u."name", 'email', u."email", 'phone', u."phone", 'roles', u."roles"::text[],
    'status', u."status", 'createdAt', ${iso('u."createdAt"')},
    'customer', ${CUSTOMER},
    'deliveryBoy', (SELECT json_build_object('id', d."id") FROM "DeliveryBoy" d WHERE d."userId" = u."id"),
    'supplier', ${SUPPLIER_BRIEF}) AS me
  FROM "User" u WHERE u."id" = $1::uuid`;

/** `SupplierPortal` ($1 supplier id, $2 page size, $3/$4 the IST month as [from, to)). */
export const SUPPLIER_PORTAL_SQL = `
  SELECT json_build_object(
    'id', s."id", 'businessName', s."businessName", 'commissionRateBps', s."commissionRateBps",
    'products', COALESCE((SELECT json_agg(json_build_object('id', p."id", 'name', p."name", 'active', p."active",
        'price', ${money('p."pricePaise"')}) ORDER BY p."createdAt", p."id") FROM "Product" p WHERE p."supplierId" = s."id"), '[]'::json),
    'orders', json_build_object(
      'totalCount', (SELECT count(DISTINCT i."orderId") FROM "OrderItem" i WHERE i."supplierId" = s."id"),
      'edges', COALESCE((SELECT json_agg(json_build_object('key', json_build_array(${iso('o."placedAt"')}, o."id"), 'node', json_build_object(
            'orderId', o."id", 'placedAt', ${iso('o."placedAt"')}, 'status', o."status", 'customerName', c."name", 'customerArea', c."area",
            'lines', (SELECT json_agg(json_build_object('quantity', i."quantity", 'unitPrice', ${money('i."unitPricePaise"')},
                'lineTotal', ${money('i."lineTotalPaise"')}, 'product', ${PRODUCT_BRIEF}) ORDER BY i."id")
              FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id" AND i."supplierId" = s."id"),
            'supplierTotal', ${money(`(SELECT sum(i."lineTotalPaise") FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = s."id")`)}))
          ORDER BY o."placedAt" DESC, o."id" DESC)
        FROM (SELECT o.* FROM "Order" o WHERE EXISTS (SELECT 1 FROM "OrderItem" i WHERE i."orderId" = o."id" AND i."supplierId" = s."id")
              ORDER BY o."placedAt" DESC, o."id" DESC LIMIT $2::int + 1) o
        JOIN "Customer" c ON c."id" = o."customerId"), '[]'::json)),
    'monthGross', (SELECT COALESCE(sum(i."lineTotalPaise"), 0) FROM "OrderItem" i JOIN "Order" o ON o."id" = i."orderId"
        WHERE i."supplierId" = s."id" AND o."status" = 'DELIVERED' AND o."deliveredAt" >= $3::timestamptz AND o."deliveredAt" < $4::timestamptz),
    'priceChangeRequests', COALESCE((SELECT json_agg(json_build_object('id', r."id", 'status', r."status",
        'requestedPrice', ${money('r."requestedPricePaise"')}, 'product', json_build_object('id', r."productId")) ORDER BY r."createdAt" DESC, r."id" DESC)
      FROM "PriceChangeRequest" r WHERE r."supplierId" = s."id"), '[]'::json)) AS portal
  FROM "Supplier" s WHERE s."id" = $1::uuid`;

/** Deliveries and their amount in [from, to) ($n, $n + 1), as [count, paise]. */
const earnedIn = (from: number) =>
  `json_build_array(count(*) FILTER (WHERE e."deliveredAt" >= $${from}::timestamptz AND e."deliveredAt" < $${from + 1}::timestamptz),
    COALESCE(sum(e."ratePaise") FILTER (WHERE e."deliveredAt" >= $${from}::timestamptz AND e."deliveredAt" < $${from + 1}::timestamptz), 0))`;

/**
 * `Me` for a delivery boy ($1 user id; $2/$3, $4/$5, $6/$7 today, this week and this month in IST as [from, to)):
 * his earnings in each period and all time, his payouts' total and his latest payout. The bench delivery boy
 * has no customer facet: only its absence is read.
 */
export const DELIVERY_BOY_ME_SQL = `
  SELECT json_build_object(
    'id', u."id", 'name', u."name", 'email', u."email", 'phone', u."phone", 'roles', u."roles"::text[],
    'status', u."status", 'createdAt', ${iso('u."createdAt"')},
    'customer', (SELECT json_build_object('id', c."id") FROM "Customer" c WHERE c."userId" = u."id"),
    'deliveryBoy', (SELECT json_build_object(
        'id', d."id", 'status', d."status", 'paymentFrequency', d."paymentFrequency", 'ratePerDelivery', ${money('d."ratePerDeliveryPaise"')},
        'earned', (SELECT json_build_array(${earnedIn(2)}, ${earnedIn(4)}, ${earnedIn(6)}, json_build_array(count(*), COALESCE(sum(e."ratePaise"), 0)))
          FROM "Delivery" e WHERE e."deliveryBoyId" = d."id"),
        'paid', (SELECT COALESCE(sum(p."amountPaise"), 0) FROM "Payout" p WHERE p."deliveryBoyId" = d."id"),
        'lastPayout', (SELECT json_build_object('amount', ${money('p."amountPaise"')}, 'paidAt', ${iso('p."paidAt"')})
          FROM "Payout" p WHERE p."deliveryBoyId" = d."id" ORDER BY p."paidAt" DESC, p."id" DESC LIMIT 1))
      FROM "DeliveryBoy" d WHERE d."userId" = u."id"),
    'supplier', ${SUPPLIER_BRIEF}) AS me
  FROM "User" u WHERE u."id" = $1::uuid`;

/** `MyRoute` ($1 user id, $2 today's IST date): his orders for today, cancelled ones left out, with customer and items. */
export const MY_ROUTE_SQL = `
  SELECT json_build_object('todaysOrders', COALESCE((SELECT json_agg(json_build_object(
        'id', o."id", 'status', o."status",
        'customer', json_build_object('name', c."name", 'phone', c."phone", 'address', c."address", 'area', c."area"),
        'items', COALESCE((SELECT json_agg(json_build_object('quantity', i."quantity", 'product', json_build_object('name', p."name", 'unit', p."unit")) ORDER BY i."id")
          FROM "OrderItem" i JOIN "Product" p ON p."id" = i."productId" WHERE i."orderId" = o."id"), '[]'::json))
        ORDER BY o."placedAt", o."id")
      FROM "Order" o JOIN "Customer" c ON c."id" = o."customerId"
      WHERE o."deliveryBoyId" = d."id" AND o."deliveryDate" = $2::date AND o."status" <> 'CANCELLED'), '[]'::json)) AS route
  FROM "DeliveryBoy" d WHERE d."userId" = $1::uuid`;

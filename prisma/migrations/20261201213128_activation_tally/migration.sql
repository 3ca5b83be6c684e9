-- CreateTable
CREATE TABLE "ActivationTally" (
    "signupDay" DATE NOT NULL,
    "status" "ActivationStatus" NOT NULL,
    "ordered" BOOLEAN NOT NULL,
    "firstDeliveryDay" DATE NOT NULL,
    "customers" INTEGER NOT NULL,
    "revenuePaise" BIGINT NOT NULL,

    CONSTRAINT "ActivationTally_pkey" PRIMARY KEY ("signupDay","status","ordered","firstDeliveryDay")
);

-- CreateTable
CREATE TABLE "ActivationTallyChange" (
    "id" BIGSERIAL NOT NULL,
    "signupDay" DATE NOT NULL,
    "status" "ActivationStatus" NOT NULL,
    "ordered" BOOLEAN NOT NULL,
    "firstDeliveryDay" DATE NOT NULL,
    "customers" INTEGER NOT NULL,
    "revenuePaise" BIGINT NOT NULL,

    CONSTRAINT "ActivationTallyChange_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Customer_firstDeliveryAt_idx" ON "Customer"("firstDeliveryAt");

-- CreateIndex
CREATE INDEX "Order_customerId_status_totalPaise_idx" ON "Order"("customerId", "status", "totalPaise");

-- The IST calendar day of an instant. IST has a fixed +05:30 offset, so no time zone lookup is needed.
CREATE FUNCTION "activation_ist_day"(instant timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN ((instant AT TIME ZONE 'UTC') + interval '330 minutes')::date;

-- Customers entering (sign 1) or leaving (sign -1) the tally, by key. Inserted and deleted customers
-- carry no revenue: an order's foreign key means no customer is inserted or deleted with orders.
CREATE FUNCTION "activation_tally_count"(customers "Customer"[], sign integer) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "ActivationTallyChange" ("signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise")
  SELECT "activation_ist_day"(c."signupAt"), c."activationStatus", c."firstOrderAt" IS NOT NULL,
    COALESCE("activation_ist_day"(c."firstDeliveryAt"), 'infinity'), sign * count(*), 0
  FROM unnest(customers) AS c
  WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL
  GROUP BY 1, 2, 3, 4
$$;

-- Delivered totals that appeared (positive) or disappeared (negative), added to the key each customer
-- has now.
CREATE FUNCTION "activation_tally_add_revenue"(customer_ids uuid[], amounts bigint[]) RETURNS void
LANGUAGE sql AS $$
  INSERT INTO "ActivationTallyChange" ("signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise")
  SELECT "activation_ist_day"(c."signupAt"), c."activationStatus", c."firstOrderAt" IS NOT NULL,
    COALESCE("activation_ist_day"(c."firstDeliveryAt"), 'infinity'), 0, sum(delivered."paise")
  FROM (
    SELECT moved."customerId", sum(moved."paise") AS "paise"
    FROM unnest(customer_ids, amounts) AS moved ("customerId", "paise")
    GROUP BY 1
    HAVING sum(moved."paise") <> 0
  ) AS delivered
  CROSS JOIN LATERAL (SELECT * FROM "Customer" AS owner WHERE owner."id" = delivered."customerId" OFFSET 0) AS c
  WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL
  GROUP BY 1, 2, 3, 4
  HAVING sum(delivered."paise") <> 0
$$;

-- Signed changes to the tally from a statement on "Customer": a customer whose key changed leaves the key
-- it had and joins the one it has now, taking the total of its delivered orders along.
-- Transition tables have no statistics: no statement here joins one to a table, or to the other, in a way
-- the planner could turn into a nested loop over both. Changed customers are found by aggregating old and
-- new rows together, and each lookup that remains is a correlated subquery behind an OFFSET 0 fence, so it
-- is one index probe per changed customer or order whatever the estimates say.
CREATE FUNCTION "activation_tally_customers"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "activation_tally_count"(array_agg(n::"Customer"), 1) FROM new_rows AS n;
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "activation_tally_count"(array_agg(o::"Customer"), -1) FROM old_rows AS o;
  ELSE
    INSERT INTO "ActivationTallyChange" ("signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise")
    SELECT moved."signupDay", moved."status", moved."ordered", moved."firstDeliveryDay",
      sum(moved."customers"), sum(moved."customers" * revenue."paise")
    FROM (
      -- A customer whose key did not change appears once with -1 and once with +1 and drops out here.
      SELECT sides."id", sides."signupDay", sides."status", sides."ordered", sides."firstDeliveryDay", sum(sides."customers") AS "customers"
      FROM (
        SELECT c."id", side."sign" AS "customers", "activation_ist_day"(c."signupAt") AS "signupDay", c."activationStatus" AS "status",
          c."firstOrderAt" IS NOT NULL AS "ordered", COALESCE("activation_ist_day"(c."firstDeliveryAt"), 'infinity') AS "firstDeliveryDay"
        FROM (SELECT o::"Customer", -1 FROM old_rows AS o UNION ALL SELECT n::"Customer", 1 FROM new_rows AS n) AS side ("row", "sign")
        CROSS JOIN LATERAL (SELECT (side."row").*) AS c
        WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL
      ) AS sides
      GROUP BY 1, 2, 3, 4, 5
      HAVING sum(sides."customers") <> 0
    ) AS moved
    CROSS JOIN LATERAL (
      SELECT COALESCE(sum(delivered."totalPaise"), 0)::bigint AS "paise"
      FROM "Order" AS delivered
      WHERE delivered."customerId" = moved."id" AND delivered."status" = 'DELIVERED'
      OFFSET 0
    ) AS revenue
    GROUP BY 1, 2, 3, 4
    HAVING sum(moved."customers") <> 0 OR sum(moved."customers" * revenue."paise") <> 0;
  END IF;
  RETURN NULL;
END
$$;

-- Signed changes to the tally from a statement on "Order": delivered totals that appear or disappear.
CREATE FUNCTION "activation_tally_orders"() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM "activation_tally_add_revenue"(array_agg(n."customerId"), array_agg(n."totalPaise"::bigint))
    FROM new_rows AS n WHERE n."status" = 'DELIVERED';
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM "activation_tally_add_revenue"(array_agg(o."customerId"), array_agg(-o."totalPaise"::bigint))
    FROM old_rows AS o WHERE o."status" = 'DELIVERED';
  ELSE
    PERFORM "activation_tally_add_revenue"(array_agg(sides."customerId"), array_agg(sides."paise"))
    FROM (
      SELECT n."customerId", n."totalPaise"::bigint AS "paise" FROM new_rows AS n WHERE n."status" = 'DELIVERED'
      UNION ALL
      SELECT o."customerId", -o."totalPaise"::bigint FROM old_rows AS o WHERE o."status" = 'DELIVERED'
    ) AS sides;
  END IF;
  RETURN NULL;
END
$$;

-- The tally of the customers already there.
INSERT INTO "ActivationTally" ("signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise")
SELECT "activation_ist_day"(c."signupAt"), c."activationStatus", c."firstOrderAt" IS NOT NULL,
  COALESCE("activation_ist_day"(c."firstDeliveryAt"), 'infinity'), count(*), COALESCE(sum(revenue."paise"), 0)
FROM "Customer" AS c
LEFT JOIN (
  SELECT o."customerId", sum(o."totalPaise")::bigint AS "paise" FROM "Order" AS o WHERE o."status" = 'DELIVERED' GROUP BY 1
) AS revenue ON revenue."customerId" = c."id"
WHERE c."archivedAt" IS NULL AND c."mergedIntoId" IS NULL
GROUP BY 1, 2, 3, 4;

-- Transition tables need one trigger per event.
CREATE TRIGGER "ActivationTally_customer_insert" AFTER INSERT ON "Customer"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "activation_tally_customers"();
CREATE TRIGGER "ActivationTally_customer_update" AFTER UPDATE ON "Customer"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "activation_tally_customers"();
CREATE TRIGGER "ActivationTally_customer_delete" AFTER DELETE ON "Customer"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "activation_tally_customers"();
CREATE TRIGGER "ActivationTally_order_insert" AFTER INSERT ON "Order"
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "activation_tally_orders"();
CREATE TRIGGER "ActivationTally_order_update" AFTER UPDATE ON "Order"
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION "activation_tally_orders"();
CREATE TRIGGER "ActivationTally_order_delete" AFTER DELETE ON "Order"
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION "activation_tally_orders"();

// Migrations are created and applied without Prisma's native engine; they must produce exactly schema.prisma.
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { applyMigrations, diffMigrationsToSchema } from '../../src/db/migrations.js';
import { MIGRATIONS_DIR } from '../../src/db/schema-engine.js';
import { createTestDatabase } from '../support/database.js';

describe('migrations', () => {
  it('match schema.prisma (no drift)', async () => {
    expect(await diffMigrationsToSchema()).toBeNull();
  });

  it('apply once and record themselves, and a second run applies nothing', async () => {
    const database = await createTestDatabase();
    try {
      expect(await applyMigrations(database.adapterFactory)).toEqual([]);
      const recorded = await database.prisma.$queryRaw<{ migration_name: string }[]>`SELECT "migration_name" FROM "_prisma_migrations"`;
      expect(recorded.length).toBeGreaterThan(0);
      const tables = await database.prisma.$queryRaw<{ table_name: string }[]>`
        SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name`;
      expect(tables.map((table) => table.table_name)).toEqual(
        expect.arrayContaining([
          'User',
          'Customer',
          'DeliveryBoy',
          'Supplier',
          'Order',
          'OrderItem',
          'Delivery',
          'OutboxMessage',
          'Session',
          'RefreshToken',
          'LegacyQuarantine',
          'MergeLog',
          'ImportRun',
        ]),
      );
    } finally {
      await database.close();
    }
  });
});

describe('the activation tally migration', () => {
  it('tallies the customers and delivered orders already there, and the triggers keep it from then on', async () => {
    // A database as it was before the migration: only the first one applied.
    const earlier = await mkdtemp(path.join(os.tmpdir(), 'bff-migrations-'));
    await cp(path.join(MIGRATIONS_DIR, '20261124042934_init'), path.join(earlier, '20261124042934_init'), { recursive: true });
    await cp(path.join(MIGRATIONS_DIR, 'migration_lock.toml'), path.join(earlier, 'migration_lock.toml'));
    const database = await createTestDatabase(earlier);
    try {
      const prisma = database.prisma;
      const customer = async (phone: string, status: 'NEW' | 'ACTIVE', signupAt: string, archived = false) => {
        const user = await prisma.user.create({ data: { name: 'Before', phone, roles: ['CUSTOMER'] } });
        // Raw SQL: the client would also write the columns later migrations add, which this database lacks.
        const delivered = status === 'ACTIVE' ? new Date(signupAt) : null;
        const [row] = await prisma.$queryRaw<{ id: string }[]>`
          INSERT INTO "Customer" ("id", "userId", "name", "phone", "activationStatus", "signupAt", "firstOrderAt", "firstDeliveryAt", "archivedAt", "updatedAt")
          VALUES (gen_random_uuid(), ${user.id}::uuid, 'Before', ${phone}, ${status}::"ActivationStatus", ${new Date(signupAt)}, ${delivered}, ${delivered},
            ${archived ? new Date(signupAt) : null}, now())
          RETURNING "id"::text AS "id"`;
        return row;
      };
      const active = await customer('+919800000001', 'ACTIVE', '2026-03-01T04:00:00Z');
      await customer('+919800000002', 'NEW', '2026-03-01T20:00:00Z');
      const archived = await customer('+919800000003', 'ACTIVE', '2026-03-02T04:00:00Z', true);
      const order = (customerId: string, totalPaise: number, status: 'DELIVERED' | 'CANCELLED') =>
        prisma.order.create({ data: { customerId, totalPaise, status, placedAt: new Date('2026-03-01T05:00:00Z'), deliveryDate: new Date('2026-03-01') } });
      await order(active.id, 12_000, 'DELIVERED');
      await order(active.id, 5_000, 'CANCELLED');
      await order(archived.id, 7_000, 'DELIVERED');

      // The tally's migration comes first, then every later one.
      const later = (await readdir(MIGRATIONS_DIR)).filter((name) => /^\d{14}_/.test(name) && name > '20261124042934_init').sort();
      expect(later[0]).toBe('20261201213128_activation_tally');
      expect(await applyMigrations(database.adapterFactory)).toEqual(later);
      const totals = () => prisma.$queryRaw<{ signupDay: string; status: string; customers: number; revenuePaise: number }[]>`
        SELECT to_char("signupDay", 'YYYY-MM-DD') AS "signupDay", "status"::text AS "status", sum("customers")::int AS "customers",
          sum("revenuePaise")::int AS "revenuePaise"
        FROM (SELECT * FROM "ActivationTally" UNION ALL SELECT "signupDay", "status", "ordered", "firstDeliveryDay", "customers", "revenuePaise" FROM "ActivationTallyChange") AS t
        GROUP BY 1, 2 HAVING sum("customers") <> 0 ORDER BY 1, 2`;
      expect(await totals()).toEqual([
        { signupDay: '2026-03-01', status: 'ACTIVE', customers: 1, revenuePaise: 12_000 },
        { signupDay: '2026-03-02', status: 'NEW', customers: 1, revenuePaise: 0 }, // 01:30 IST on 2 March
      ]);
      await order(active.id, 3_000, 'DELIVERED');
      await prisma.customer.update({ where: { id: archived.id }, data: { archivedAt: null } });
      expect(await totals()).toEqual([
        { signupDay: '2026-03-01', status: 'ACTIVE', customers: 1, revenuePaise: 15_000 },
        { signupDay: '2026-03-02', status: 'ACTIVE', customers: 1, revenuePaise: 7_000 },
        { signupDay: '2026-03-02', status: 'NEW', customers: 1, revenuePaise: 0 },
      ]);
    } finally {
      await database.close();
      await rm(earlier, { recursive: true, force: true });
    }
  });
});

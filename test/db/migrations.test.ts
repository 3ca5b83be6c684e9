// Migrations are created and applied without Prisma's native engine; they must produce exactly schema.prisma.
import { describe, expect, it } from 'vitest';
import { applyMigrations, diffMigrationsToSchema } from '../../src/db/migrations.js';
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
        expect.arrayContaining(['User', 'Customer', 'DeliveryBoy', 'Supplier', 'Order', 'OrderItem', 'Delivery', 'OutboxMessage', 'Session', 'RefreshToken', 'LegacyQuarantine', 'MergeLog']),
      );
    } finally {
      await database.close();
    }
  });
});

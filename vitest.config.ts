import { createRequire } from 'node:module';
import { configDefaults, defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);
// One copy of graphql: without the alias the CJS and ESM builds both load ("another module or realm").
const alias = { graphql: require.resolve('graphql/index.js') };

// Database-backed tests live under test/integration and test/db; with TEST_DATABASE_URL set they run
// a second time against that PostgreSQL server, each file in a database of its own.
const databaseTests = ['test/integration/**/*.test.ts', 'test/db/**/*.test.ts', 'test/legacy/**/*.test.ts', 'test/security/**/*.test.ts'];

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      {
        resolve: { alias },
        test: {
          name: 'pglite',
          include: ['test/**/*.test.ts'],
          // The two-instance and read-replica tests always run on PostgreSQL: once, in the postgres project when there is one.
          exclude: [
            ...configDefaults.exclude,
            ...(process.env.TEST_DATABASE_URL ? ['test/security/multi-instance.test.ts', 'test/integration/read-replicas.test.ts'] : []),
          ],
          env: { TEST_DB: 'pglite', NODE_ENV: 'test' },
          testTimeout: 60_000,
          hookTimeout: 120_000,
          setupFiles: ['test/support/setup.ts'],
        },
      },
      ...(process.env.TEST_DATABASE_URL
        ? [
            {
              resolve: { alias },
              test: {
                name: 'postgres',
                include: databaseTests,
                env: { TEST_DB: 'postgres', NODE_ENV: 'test' },
                testTimeout: 60_000,
                hookTimeout: 120_000,
                setupFiles: ['test/support/setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});

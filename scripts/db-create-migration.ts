// npm run db:create-migration -- <name>: writes the next migration from the changed prisma/schema.prisma.
import { createMigration } from '../src/db/migrations.js';

const name = process.argv.slice(2).find((argument) => !argument.startsWith('-')) ?? 'migration';
const directory = await createMigration(name);
console.log(directory ? `created ${directory}` : 'schema.prisma matches the migrations: nothing to create');

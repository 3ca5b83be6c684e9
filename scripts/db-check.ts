// npm run db:check: exits 1 when prisma/schema.prisma has changes that no migration captures (drift).
import { diffMigrationsToSchema } from '../src/db/migrations.js';

const missing = await diffMigrationsToSchema();
if (missing !== null) {
  console.error('schema.prisma differs from the migrations; the next migration would be:\n' + missing);
  console.error('run: npm run db:create-migration -- <name>');
  process.exit(1);
}
console.log('migrations match schema.prisma');

// The only Prisma caller of the identity module (sessions aside).
import type { Database, DatabaseClient } from '../../db/client.js';
import type { Prisma } from '../../generated/prisma/client.js';
import type { Role } from '../../auth/roles.js';
import type { Identifier } from '../../shared/identifiers.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class IdentityRepository {
  constructor(private readonly db: Database) {}

  findUserByIdentifier(identifier: Identifier) {
    return this.db.user.findUnique({
      where: identifier.kind === 'email' ? { email: identifier.value } : { phone: identifier.value },
    });
  }

  /** A malformed id names no user: it never reaches the `uuid` column, where it would be a database error. */
  async findUserById(id: string) {
    if (!UUID.test(id)) return null;
    return this.db.user.findUnique({ where: { id } });
  }

  /** Whether any user or customer already holds this phone or email. */
  async isContactTaken(contact: { email?: string | null; phone?: string | null }, db: DatabaseClient = this.db) {
    const userMatches: Prisma.UserWhereInput[] = [];
    const customerMatches: Prisma.CustomerWhereInput[] = [];
    if (contact.email) {
      userMatches.push({ email: contact.email });
      customerMatches.push({ email: contact.email });
    }
    if (contact.phone) {
      userMatches.push({ phone: contact.phone });
      customerMatches.push({ phone: contact.phone });
    }
    if (userMatches.length === 0) return false;
    const [users, customers] = await Promise.all([
      db.user.count({ where: { OR: userMatches } }),
      db.customer.count({ where: { OR: customerMatches } }),
    ]);
    return users + customers > 0;
  }

  createUserWithCustomer(
    db: DatabaseClient,
    data: { name: string; email: string | null; phone: string | null; roles: Role[]; passwordHash?: string; passwordScheme?: 'BCRYPT_SHA256'; customer: { address?: string | null; area?: string | null; signedUpById?: string | null } | null },
    now: Date,
  ) {
    return db.user.create({
      data: {
        name: data.name,
        email: data.email,
        phone: data.phone,
        roles: data.roles,
        passwordHash: data.passwordHash ?? null,
        passwordScheme: data.passwordScheme ?? null,
        createdAt: now,
        ...(data.customer
          ? {
              customer: {
                create: {
                  name: data.name,
                  phone: data.phone,
                  email: data.email,
                  address: data.customer.address ?? null,
                  area: data.customer.area ?? null,
                  signedUpById: data.customer.signedUpById ?? null,
                  signupAt: now,
                  createdAt: now,
                },
              },
            }
          : {}),
      },
      include: { customer: true },
    });
  }

  updatePassword(db: DatabaseClient, userId: string, hash: string, scheme: 'BCRYPT_SHA256') {
    return db.user.update({ where: { id: userId }, data: { passwordHash: hash, passwordScheme: scheme } });
  }

  findCustomerByPhone(phone: string) {
    return this.db.customer.findUnique({ where: { phone }, include: { user: true } });
  }

  async writeAudit(db: DatabaseClient, entry: { actorUserId: string | null; action: string; entityType: string; entityId: string; details?: Prisma.InputJsonValue; at: Date }) {
    await db.auditLog.create({
      data: { ...entry, details: entry.details ?? {} },
    });
  }
}

// The only caller for Session and RefreshToken. The session check's one statement also reads the user
// row and its facets (the columns and joins of identity.repository.ts), whether the user has a second
// factor (SecondFactor, Passkey), and the account's lock when the attempt counters give a column for it
// (attempt-counter.repository.ts): it reads those tables, written only by their own repositories.
import type { Database, DatabaseClient } from '../../db/client.js';
import { keysetOrderBy, pageWhere, type SortColumn } from '../../db/keyset.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { PageRequest } from '../../shared/pagination.js';
import { USER_FACET_JOINS, USER_WITH_FACETS_COLUMNS, type UserWithFacets } from './identity.repository.js';

export const SESSION_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'uuid' },
];

export interface NewSession {
  userId: string;
  createdAt: Date;
  secondFactorAt: Date | null;
  expiresAt: Date;
  userAgent: string | null;
  ipAddress: string;
  deviceLabel: string;
  deviceKey: string;
}

/** What the session check's statement answers: the user row with its facets, and the session's own facts. */
export type SessionCheckRow = UserWithFacets & { lockedUntil?: Date | null; sessionSecondFactorAt: Date | null; hasSecondFactor: boolean };

export class SessionRepository {
  constructor(private readonly db: Database) {}

  /** A session with its first refresh token, in one statement. */
  async create(db: DatabaseClient, session: NewSession, tokenHash: string): Promise<string> {
    const created = await db.session.create({
      data: {
        userId: session.userId,
        createdAt: session.createdAt,
        secondFactorAt: session.secondFactorAt,
        expiresAt: session.expiresAt,
        lastUsedAt: session.createdAt,
        userAgent: session.userAgent,
        ipAddress: session.ipAddress,
        lastIpAddress: session.ipAddress,
        deviceLabel: session.deviceLabel,
        deviceKey: session.deviceKey,
        refreshTokens: { create: { tokenHash, createdAt: session.createdAt } },
      },
      select: { id: true },
    });
    return created.id;
  }

  /** Whether the user has had any session, and one from this device (live or ended, however long ago). */
  async deviceHistory(db: DatabaseClient, userId: string, deviceKey: string): Promise<{ hasSessions: boolean; isKnownDevice: boolean }> {
    const [row] = await db.$queryRaw<{ hasSessions: boolean; isKnownDevice: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM "Session" WHERE "userId" = ${userId}::uuid) AS "hasSessions",
             EXISTS (SELECT 1 FROM "Session" WHERE "userId" = ${userId}::uuid AND "deviceKey" = ${deviceKey}) AS "isKnownDevice"`;
    return row;
  }

  findRefreshToken(tokenHash: string) {
    return this.db.refreshToken.findUnique({ where: { tokenHash }, include: { session: true } });
  }

  /** The session a refresh token belongs to, and its user. */
  async sessionOfRefreshToken(tokenHash: string): Promise<{ id: string; userId: string } | null> {
    const stored = await this.db.refreshToken.findUnique({
      where: { tokenHash },
      select: { session: { select: { id: true, userId: true } } },
    });
    return stored?.session ?? null;
  }

  /** Spends the token once: false when another request rotated it first. */
  async claimRefreshToken(db: DatabaseClient, id: string, now: Date): Promise<boolean> {
    const claimed = await db.refreshToken.updateMany({ where: { id, rotatedAt: null }, data: { rotatedAt: now } });
    return claimed.count > 0;
  }

  /** The token that replaces a spent one, in the same family (session); its id. */
  async createRefreshToken(db: DatabaseClient, sessionId: string, tokenHash: string, now: Date): Promise<{ id: string }> {
    return db.refreshToken.create({ data: { sessionId, tokenHash, createdAt: now }, select: { id: true } });
  }

  async linkReplacement(db: DatabaseClient, id: string, replacedById: string): Promise<void> {
    await db.refreshToken.update({ where: { id }, data: { replacedById } });
  }

  async markUsed(db: DatabaseClient, sessionId: string, now: Date): Promise<void> {
    await db.session.update({ where: { id: sessionId }, data: { lastUsedAt: now } });
  }

  /** Ends a live session; the number ended (0 when it had already ended). */
  async revoke(db: DatabaseClient, id: string, now: Date, reason: string): Promise<number> {
    const ended = await db.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
    return ended.count;
  }

  /** Ends the user's live sessions, but `except`; the number ended. */
  async revokeAllOf(db: DatabaseClient, userId: string, now: Date, reason: string, except?: string): Promise<number> {
    const result = await db.session.updateMany({
      where: { userId, revokedAt: null, ...(except ? { id: { not: except } } : {}) },
      data: { revokedAt: now, revokedReason: reason },
    });
    return result.count;
  }

  findById(id: string) {
    return this.db.session.findUnique({ where: { id }, select: { id: true, userId: true, revokedAt: true, expiresAt: true, deviceLabel: true } });
  }

  /** Up to `size + 1` live sessions of the user in reading order (reverse for a backward page), and their count. */
  async livePage(userId: string, now: Date, request: PageRequest) {
    const where: Prisma.SessionWhereInput = { userId, revokedAt: null, expiresAt: { gt: now } };
    const [rows, totalCount] = await Promise.all([
      this.db.session.findMany({
        where: { AND: [where, ...pageWhere(SESSION_ORDER, request)] },
        orderBy: keysetOrderBy(SESSION_ORDER, request.backward),
        take: request.size + 1,
        select: { id: true, userId: true, deviceLabel: true, createdAt: true, lastUsedAt: true, lastIpAddress: true, ipAddress: true },
      }),
      this.db.session.count({ where }),
    ]);
    return { rows, totalCount };
  }

  /**
   * The session check of SPEC §2 in one statement: the live session with its active user and facets.
   * `touch` records the request as the session's last use in the same statement, only when the last one
   * is older than `staleBefore`; `lockedUntilColumn` (a scalar subquery) adds the account's lock.
   */
  check(
    userId: string,
    sessionId: string,
    now: Date,
    options: { touch?: { clientIp: string; staleBefore: Date }; lockedUntilColumn?: Prisma.Sql } = {},
  ): Promise<SessionCheckRow[]> {
    const touch = options.touch
      ? Prisma.sql`WITH touched AS (
      UPDATE "Session" SET "lastUsedAt" = ${now}, "lastIpAddress" = ${options.touch.clientIp}
      WHERE "id" = ${sessionId}::uuid AND "userId" = ${userId}::uuid AND "revokedAt" IS NULL AND "expiresAt" > ${now}
        AND ("lastUsedAt" IS NULL OR "lastUsedAt" <= ${options.touch.staleBefore})
      RETURNING "id")`
      : Prisma.empty;
    const lock = options.lockedUntilColumn ? Prisma.sql`, ${options.lockedUntilColumn} AS "lockedUntil"` : Prisma.empty;
    return this.db.$queryRaw<SessionCheckRow[]>`
      ${touch}
      SELECT ${USER_WITH_FACETS_COLUMNS} ${lock}, ss."secondFactorAt" AS "sessionSecondFactorAt",
        (EXISTS (SELECT 1 FROM "SecondFactor" sf WHERE sf."userId" = u."id" AND sf."totpConfirmedAt" IS NOT NULL)
          OR EXISTS (SELECT 1 FROM "Passkey" pk WHERE pk."userId" = u."id")) AS "hasSecondFactor"
      FROM "Session" ss
      JOIN "User" u ON u."id" = ss."userId"
      ${USER_FACET_JOINS}
      WHERE ss."id" = ${sessionId}::uuid AND ss."userId" = ${userId}::uuid AND ss."revokedAt" IS NULL
        AND ss."expiresAt" > ${now} AND u."status" = 'ACTIVE'`;
  }

  async markSecondFactor(db: DatabaseClient, sessionId: string, now: Date): Promise<void> {
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { secondFactorAt: now } });
  }
}

// Sessions and refresh tokens (SPEC §2). A session is one token family: each refresh rotates the token;
// presenting a rotated token again revokes the whole family, except within 10 seconds of its rotation
// (two tabs refreshing at once), which answers REFRESH_RACE and revokes nothing.
import { createHash, randomBytes } from 'node:crypto';
import type { Database, DatabaseClient } from '../../db/client.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey } from './identity.keys.js';
import { AppError, ErrorCode, unauthenticated } from '../../shared/errors.js';
import type { Role } from '../../auth/roles.js';
import type { Viewer } from '../../auth/viewer.js';
import { reviveFacets, USER_FACET_JOINS, USER_WITH_FACETS_COLUMNS, type UserWithFacets } from './identity.repository.js';

export const REFRESH_TOKEN_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
export const REFRESH_RACE_WINDOW_MS = 10 * 1000;

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export interface SessionMetadata {
  userAgent: string | null;
  clientIp: string;
}

/** What the session check read: the viewer, its user row and facets, and its password lock where it can. */
export interface SessionRead {
  viewer: Viewer;
  user: UserWithFacets;
  /** The account's lock in force (null: none); undefined when the counters are not in this database. */
  lockedUntil?: Date | null;
}

export class SessionService {
  constructor(
    private readonly db: Database,
    /** Counters kept in this database let the session check read the account's lock too (User.status). */
    private readonly counters?: AttemptCounters,
  ) {}

  async open(
    db: DatabaseClient,
    userId: string,
    now: Date,
    metadata: SessionMetadata,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const refreshToken = newOpaqueToken();
    const session = await db.session.create({
      data: {
        userId,
        createdAt: now,
        expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
        lastUsedAt: now,
        userAgent: metadata.userAgent?.slice(0, 300) ?? null,
        ipAddress: metadata.clientIp.slice(0, 64),
        refreshTokens: { create: { tokenHash: hashToken(refreshToken), createdAt: now } },
      },
      select: { id: true },
    });
    return { sessionId: session.id, refreshToken };
  }

  /** Rotates the token: the old one is spent, a new one of the same family is returned. */
  async rotate(refreshToken: string, now: Date): Promise<{ userId: string; sessionId: string; refreshToken: string }> {
    const stored = await this.db.refreshToken.findUnique({
      where: { tokenHash: hashToken(refreshToken) },
      include: { session: true },
    });
    if (!stored) throw unauthenticated('invalid refresh token');
    const session = stored.session;
    if (session.revokedAt || session.expiresAt <= now) throw unauthenticated('session has ended');
    if (stored.rotatedAt) return this.rejectReuse(stored.rotatedAt, session.id, now);
    const replacement = newOpaqueToken();
    const rotated = await this.db.$transaction(async (tx) => {
      const claimed = await tx.refreshToken.updateMany({
        where: { id: stored.id, rotatedAt: null },
        data: { rotatedAt: now },
      });
      if (claimed.count === 0) return null;
      const created = await tx.refreshToken.create({
        data: { sessionId: session.id, tokenHash: hashToken(replacement), createdAt: now },
        select: { id: true },
      });
      await tx.refreshToken.update({ where: { id: stored.id }, data: { replacedById: created.id } });
      await tx.session.update({ where: { id: session.id }, data: { lastUsedAt: now } });
      return created;
    });
    // Another request rotated the same token between our read and our claim: a race, not a theft.
    if (!rotated) throw new AppError(ErrorCode.REFRESH_RACE, 'this refresh token was just used: use the newest one');
    return { userId: session.userId, sessionId: session.id, refreshToken: replacement };
  }

  private async rejectReuse(rotatedAt: Date, sessionId: string, now: Date): Promise<never> {
    if (now.getTime() - rotatedAt.getTime() <= REFRESH_RACE_WINDOW_MS) {
      throw new AppError(ErrorCode.REFRESH_RACE, 'this refresh token was just used: use the newest one');
    }
    await this.revoke(sessionId, now, 'refresh-token-reuse');
    throw unauthenticated('session has ended');
  }

  async revoke(sessionId: string, now: Date, reason: string, db: DatabaseClient = this.db): Promise<void> {
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
  }

  async revokeByRefreshToken(refreshToken: string, userId: string, now: Date): Promise<boolean> {
    const stored = await this.db.refreshToken.findUnique({
      where: { tokenHash: hashToken(refreshToken) },
      select: { session: { select: { id: true, userId: true } } },
    });
    if (!stored || stored.session.userId !== userId) return false;
    await this.revoke(stored.session.id, now, 'logout');
    return true;
  }

  async revokeAll(
    userId: string,
    now: Date,
    reason: string,
    options: { except?: string; db?: DatabaseClient } = {},
  ): Promise<number> {
    const result = await (options.db ?? this.db).session.updateMany({
      where: { userId, revokedAt: null, ...(options.except ? { id: { not: options.except } } : {}) },
      data: { revokedAt: now, revokedReason: reason },
    });
    return result.count;
  }

  /**
   * The per-request check of SPEC §2: the session must be live and the user active; roles and facets are
   * read fresh, so a revocation, a disabled account or a role change takes effect on the next request.
   * One round trip.
   */
  async loadViewer(userId: string, sessionId: string, now: Date): Promise<Viewer | null> {
    return (await this.loadViewerAndUser(userId, sessionId, now))?.viewer ?? null;
  }

  /**
   * The session check, with the user row and its facets that it joins anyway: the request's loaders are
   * primed with them, so `me` and its facets cost no further statement.
   */
  async loadViewerAndUser(userId: string, sessionId: string, now: Date): Promise<SessionRead | null> {
    const lockColumn = this.counters?.lockedUntilColumn?.(accountKey(userId), now);
    const lock = lockColumn ? Prisma.sql`, ${lockColumn} AS "lockedUntil"` : Prisma.empty;
    const rows = await this.db.$queryRaw<(UserWithFacets & { lockedUntil?: Date | null })[]>`
      SELECT ${USER_WITH_FACETS_COLUMNS} ${lock}
      FROM "Session" ss
      JOIN "User" u ON u."id" = ss."userId"
      ${USER_FACET_JOINS}
      WHERE ss."id" = ${sessionId}::uuid AND ss."userId" = ${userId}::uuid AND ss."revokedAt" IS NULL
        AND ss."expiresAt" > ${now} AND u."status" = 'ACTIVE'`;
    if (!rows[0]) return null;
    const { lockedUntil, ...row } = rows[0];
    const user = reviveFacets(row);
    const roles = new Set(user.roles as Role[]);
    // A facet without its role is kept for history, but nobody can act through it.
    const viewer: Viewer = {
      userId,
      sessionId,
      roles,
      customerId: roles.has('CUSTOMER') ? (user.customer?.id ?? null) : null,
      deliveryBoyId: roles.has('DELIVERY_BOY') ? (user.deliveryBoy?.id ?? null) : null,
      supplierId: roles.has('SUPPLIER') ? (user.supplier?.id ?? null) : null,
    };
    return lockColumn ? { viewer, user, lockedUntil: lockedUntil ?? null } : { viewer, user };
  }

}

// Sessions and refresh tokens (SPEC §2). A session is one token family: each refresh rotates the token;
// presenting a rotated token again revokes the whole family, except within 10 seconds of its rotation
// (two tabs refreshing at once), which answers REFRESH_RACE and revokes nothing.
import { requireStepUpToEndSessionOf } from '../../auth/second-factor.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Database, DatabaseClient } from '../../db/client.js';
import { withoutPinningReads } from '../../db/replicas.js';
import { Prisma } from '../../generated/prisma/client.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey } from './identity.keys.js';
import { AppError, ErrorCode, notFound, unauthenticated } from '../../shared/errors.js';
import type { Role } from '../../auth/roles.js';
import { isAdmin, type Viewer } from '../../auth/viewer.js';
import { keyKinds, keyOf, keysetOrderBy, pageWhere, type SortColumn } from '../../db/keyset.js';
import { pageRequest, toConnection, type PageArgs } from '../../shared/pagination.js';
import { recordAudit } from '../audit/index.js';
import { deviceOf, type Device } from './device.label.js';
import { reviveFacets, USER_FACET_JOINS, USER_WITH_FACETS_COLUMNS, type UserWithFacets } from './identity.repository.js';

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SESSION_ORDER: SortColumn[] = [
  { field: 'createdAt', direction: 'desc', kind: 'date' },
  { field: 'id', direction: 'desc', kind: 'uuid' },
];

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
  /** The x-client-name, x-client-version and x-device-id headers as sent (checked by `describeDevice`). */
  clientName?: string | null;
  clientVersion?: string | null;
  deviceId?: string | null;
}

/** The session's last use is written at most this often: the session check is every request's. */
export const LAST_USED_RESOLUTION_MS = 60 * 1000;

export function sessionDevice(userId: string, metadata: SessionMetadata): Device {
  return deviceOf(userId, {
    userAgent: metadata.userAgent,
    clientName: metadata.clientName ?? null,
    clientVersion: metadata.clientVersion ?? null,
    deviceId: metadata.deviceId ?? null,
  });
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
    /** MFA_REQUIRED_ROLES: holders of these must prove a second factor before their session does anything. */
    private readonly requiredRoles: readonly Role[] = [],
  ) {}

  async open(
    db: DatabaseClient,
    userId: string,
    now: Date,
    metadata: SessionMetadata,
    device: Device = sessionDevice(userId, metadata),
    secondFactorAt: Date | null = null,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const refreshToken = newOpaqueToken();
    const session = await db.session.create({
      data: {
        userId,
        createdAt: now,
        secondFactorAt,
        expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
        lastUsedAt: now,
        userAgent: metadata.userAgent?.slice(0, 300) ?? null,
        ipAddress: metadata.clientIp.slice(0, 64),
        lastIpAddress: metadata.clientIp.slice(0, 64),
        deviceLabel: device.label,
        deviceKey: device.key,
        refreshTokens: { create: { tokenHash: hashToken(refreshToken), createdAt: now } },
      },
      select: { id: true },
    });
    return { sessionId: session.id, refreshToken };
  }

  /** Whether the user has had any session, and one from this device (live or ended, however long ago). */
  async deviceHistory(db: DatabaseClient, userId: string, deviceKey: string): Promise<{ hasSessions: boolean; isKnownDevice: boolean }> {
    const [row] = await db.$queryRaw<{ hasSessions: boolean; isKnownDevice: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM "Session" WHERE "userId" = ${userId}::uuid) AS "hasSessions",
             EXISTS (SELECT 1 FROM "Session" WHERE "userId" = ${userId}::uuid AND "deviceKey" = ${deviceKey}) AS "isKnownDevice"`;
    return row;
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

  /** The user's live sessions, newest sign-in first; `current` marks the one making the request. */
  async listLive(userId: string, page: PageArgs, currentSessionId: string | null, now: Date) {
    const request = pageRequest(page, keyKinds(SESSION_ORDER));
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
    const sessions = rows.map((row) => ({
      id: row.id,
      userId: row.userId,
      device: row.deviceLabel ?? 'Unknown device',
      createdAt: row.createdAt,
      lastUsedAt: row.lastUsedAt ?? row.createdAt,
      lastIpAddress: row.lastIpAddress ?? row.ipAddress,
      current: row.id === currentSessionId,
    }));
    return toConnection(sessions, request, totalCount, (row) => keyOf(SESSION_ORDER, row));
  }

  /**
   * Ends one session: the viewer's own, or anyone's for an admin (audited: it changes another user's
   * data). Another user's session answers NOT_FOUND to anyone else, as an unknown id does. False when the
   * session had already ended.
   */
  async revokeOne(viewer: Viewer, idInput: string, now: Date): Promise<boolean> {
    const id = idInput.toLowerCase();
    const session = SESSION_ID.test(id)
      ? await this.db.session.findUnique({ where: { id }, select: { id: true, userId: true, revokedAt: true, expiresAt: true, deviceLabel: true } })
      : null;
    if (!session || (session.userId !== viewer.userId && !isAdmin(viewer))) throw notFound('session');
    requireStepUpToEndSessionOf(viewer, session.userId, now);
    if (session.revokedAt || session.expiresAt <= now) return false;
    const isAnothersSession = session.userId !== viewer.userId;
    const reason = isAnothersSession ? 'revoked-by-admin' : 'revoked';
    return this.db.$transaction(async (tx) => {
      const ended = await tx.session.updateMany({ where: { id, revokedAt: null }, data: { revokedAt: now, revokedReason: reason } });
      if (ended.count === 0) return false;
      if (isAnothersSession) {
        await recordAudit(tx, {
          actorId: viewer.userId,
          targetUserId: session.userId,
          action: 'session.revoke',
          subject: { type: 'Session', id },
          before: { device: session.deviceLabel, revokedAt: null },
          after: { device: session.deviceLabel, revokedAt: now.toISOString(), reason },
          at: now,
        });
      }
      return true;
    });
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
   * Records the request as the session's last use, in the statement of the session check itself, and
   * only when the last one is a minute old: the row is written once a minute at most, never per request.
   */
  private touch(userId: string, sessionId: string, now: Date, clientIp: string | undefined): Prisma.Sql {
    if (clientIp === undefined) return Prisma.empty;
    const staleBefore = new Date(now.getTime() - LAST_USED_RESOLUTION_MS);
    return Prisma.sql`WITH touched AS (
      UPDATE "Session" SET "lastUsedAt" = ${now}, "lastIpAddress" = ${clientIp.slice(0, 64)}
      WHERE "id" = ${sessionId}::uuid AND "userId" = ${userId}::uuid AND "revokedAt" IS NULL AND "expiresAt" > ${now}
        AND ("lastUsedAt" IS NULL OR "lastUsedAt" <= ${staleBefore})
      RETURNING "id")`;
  }

  /**
   * The session check, with the user row and its facets that it joins anyway: the request's loaders are
   * primed with them, so `me` and its facets cost no further statement.
   */
  async loadViewerAndUser(userId: string, sessionId: string, now: Date, clientIp?: string): Promise<SessionRead | null> {
    const lockColumn = this.counters?.lockedUntilColumn?.(accountKey(userId), now);
    const lock = lockColumn ? Prisma.sql`, ${lockColumn} AS "lockedUntil"` : Prisma.empty;
    // The last-use write changes nothing the request reads: its later reads may still go to a replica.
    const rows = await withoutPinningReads(() => this.db.$queryRaw<(UserWithFacets & { lockedUntil?: Date | null; sessionSecondFactorAt: Date | null; hasSecondFactor: boolean })[]>`
      ${this.touch(userId, sessionId, now, clientIp)}
      SELECT ${USER_WITH_FACETS_COLUMNS} ${lock}, ss."secondFactorAt" AS "sessionSecondFactorAt",
        (EXISTS (SELECT 1 FROM "SecondFactor" sf WHERE sf."userId" = u."id" AND sf."totpConfirmedAt" IS NOT NULL)
          OR EXISTS (SELECT 1 FROM "Passkey" pk WHERE pk."userId" = u."id")) AS "hasSecondFactor"
      FROM "Session" ss
      JOIN "User" u ON u."id" = ss."userId"
      ${USER_FACET_JOINS}
      WHERE ss."id" = ${sessionId}::uuid AND ss."userId" = ${userId}::uuid AND ss."revokedAt" IS NULL
        AND ss."expiresAt" > ${now} AND u."status" = 'ACTIVE'`);
    if (!rows[0]) return null;
    const { lockedUntil, sessionSecondFactorAt, hasSecondFactor, ...row } = rows[0];
    const user = reviveFacets(row);
    const roles = new Set(user.roles as Role[]);
    const required = this.requiredRoles.some((role) => roles.has(role));
    // A facet without its role is kept for history, but nobody can act through it.
    const viewer: Viewer = {
      userId,
      sessionId,
      roles,
      customerId: roles.has('CUSTOMER') ? (user.customer?.id ?? null) : null,
      deliveryBoyId: roles.has('DELIVERY_BOY') ? (user.deliveryBoy?.id ?? null) : null,
      supplierId: roles.has('SUPPLIER') ? (user.supplier?.id ?? null) : null,
      secondFactorPending: hasSecondFactor ? (sessionSecondFactorAt ? null : 'VERIFY') : required ? 'ENROL' : null,
      secondFactorAt: sessionSecondFactorAt,
      needsStepUp: required || hasSecondFactor,
    };
    return lockColumn ? { viewer, user, lockedUntil: lockedUntil ?? null } : { viewer, user };
  }

  /** Records that the session has just proved a second factor (enrolment or reauthenticate). */
  async markSecondFactor(sessionId: string, now: Date, db: DatabaseClient = this.db): Promise<void> {
    await db.session.updateMany({ where: { id: sessionId, revokedAt: null }, data: { secondFactorAt: now } });
  }

}

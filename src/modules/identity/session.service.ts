// Sessions and refresh tokens (SPEC §2). A session is one token family: each refresh rotates the token;
// presenting a rotated token again revokes the whole family, except within 10 seconds of its rotation
// (two tabs refreshing at once), which answers REFRESH_RACE and revokes nothing.
import { requireStepUpToEndSessionOf } from '../../auth/second-factor.js';
import { createHash, randomBytes } from 'node:crypto';
import type { Database, DatabaseClient } from '../../db/client.js';
import { withoutPinningReads } from '../../db/replicas.js';
import type { AttemptCounters } from './attempt-counters.js';
import { accountKey } from './identity.keys.js';
import { AppError, ErrorCode, notFound, unauthenticated } from '../../shared/errors.js';
import type { Role } from '../../auth/roles.js';
import { isAdmin, type Viewer } from '../../auth/viewer.js';
import { keyKinds, keyOf } from '../../db/keyset.js';
import { pageRequest, toConnection, type PageArgs } from '../../shared/pagination.js';
import { recordAudit } from '../audit/index.js';
import { deviceOf, type Device } from './device.label.js';
import { reviveFacets, type UserWithFacets } from './identity.repository.js';
import { SESSION_ORDER, SessionRepository } from './session.repository.js';

const SESSION_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

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
  private readonly sessions: SessionRepository;

  constructor(
    private readonly db: Database,
    /** Counters kept in this database let the session check read the account's lock too (User.status). */
    private readonly counters?: AttemptCounters,
    /** MFA_REQUIRED_ROLES: holders of these must prove a second factor before their session does anything. */
    private readonly requiredRoles: readonly Role[] = [],
  ) {
    this.sessions = new SessionRepository(db);
  }

  async open(
    db: DatabaseClient,
    userId: string,
    now: Date,
    metadata: SessionMetadata,
    device: Device = sessionDevice(userId, metadata),
    secondFactorAt: Date | null = null,
  ): Promise<{ sessionId: string; refreshToken: string }> {
    const refreshToken = newOpaqueToken();
    const sessionId = await this.sessions.create(
      db,
      {
        userId,
        createdAt: now,
        secondFactorAt,
        expiresAt: new Date(now.getTime() + REFRESH_TOKEN_LIFETIME_MS),
        userAgent: metadata.userAgent?.slice(0, 300) ?? null,
        ipAddress: metadata.clientIp.slice(0, 64),
        deviceLabel: device.label,
        deviceKey: device.key,
      },
      hashToken(refreshToken),
    );
    return { sessionId, refreshToken };
  }

  /** Whether the user has had any session, and one from this device (live or ended, however long ago). */
  async deviceHistory(db: DatabaseClient, userId: string, deviceKey: string): Promise<{ hasSessions: boolean; isKnownDevice: boolean }> {
    return this.sessions.deviceHistory(db, userId, deviceKey);
  }

  /** Rotates the token: the old one is spent, a new one of the same family is returned. */
  async rotate(refreshToken: string, now: Date): Promise<{ userId: string; sessionId: string; refreshToken: string }> {
    const stored = await this.sessions.findRefreshToken(hashToken(refreshToken));
    if (!stored) throw unauthenticated('invalid refresh token');
    const session = stored.session;
    if (session.revokedAt || session.expiresAt <= now) throw unauthenticated('session has ended');
    if (stored.rotatedAt) return this.rejectReuse(stored.rotatedAt, session.id, now);
    const replacement = newOpaqueToken();
    const rotated = await this.db.$transaction(async (tx) => {
      if (!(await this.sessions.claimRefreshToken(tx, stored.id, now))) return null;
      const created = await this.sessions.createRefreshToken(tx, session.id, hashToken(replacement), now);
      await this.sessions.linkReplacement(tx, stored.id, created.id);
      await this.sessions.markUsed(tx, session.id, now);
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
    await this.sessions.revoke(db, sessionId, now, reason);
  }

  /** The user's live sessions, newest sign-in first; `current` marks the one making the request. */
  async listLive(userId: string, page: PageArgs, currentSessionId: string | null, now: Date) {
    const request = pageRequest(page, keyKinds(SESSION_ORDER));
    const { rows, totalCount } = await this.sessions.livePage(userId, now, request);
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
    const session = SESSION_ID.test(id) ? await this.sessions.findById(id) : null;
    if (!session || (session.userId !== viewer.userId && !isAdmin(viewer))) throw notFound('session');
    requireStepUpToEndSessionOf(viewer, session.userId, now);
    if (session.revokedAt || session.expiresAt <= now) return false;
    const isAnothersSession = session.userId !== viewer.userId;
    const reason = isAnothersSession ? 'revoked-by-admin' : 'revoked';
    return this.db.$transaction(async (tx) => {
      if ((await this.sessions.revoke(tx, id, now, reason)) === 0) return false;
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
    const session = await this.sessions.sessionOfRefreshToken(hashToken(refreshToken));
    if (!session || session.userId !== userId) return false;
    await this.revoke(session.id, now, 'logout');
    return true;
  }

  async revokeAll(userId: string, now: Date, reason: string, options: { except?: string; db?: DatabaseClient } = {}): Promise<number> {
    return this.sessions.revokeAllOf(options.db ?? this.db, userId, now, reason, options.except);
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
   * primed with them, so `me` and its facets cost no further statement. With the client's address, the
   * request is recorded as the session's last use in the same statement, and only when the last one is a
   * minute old: the row is written once a minute at most, never per request.
   */
  async loadViewerAndUser(userId: string, sessionId: string, now: Date, clientIp?: string): Promise<SessionRead | null> {
    const lockColumn = this.counters?.lockedUntilColumn?.(accountKey(userId), now);
    const touch = clientIp === undefined ? undefined : { clientIp: clientIp.slice(0, 64), staleBefore: new Date(now.getTime() - LAST_USED_RESOLUTION_MS) };
    // The last-use write changes nothing the request reads: its later reads may still go to a replica.
    const rows = await withoutPinningReads(() => this.sessions.check(userId, sessionId, now, { touch, lockedUntilColumn: lockColumn }));
    if (!rows[0]) return null;
    const { lockedUntil, sessionSecondFactorAt, hasSecondFactor, ...row } = rows[0];
    const user = reviveFacets(row);
    const roles = new Set(user.roles);
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
    await this.sessions.markSecondFactor(db, sessionId, now);
  }
}

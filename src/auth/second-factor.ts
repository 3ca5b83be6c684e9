// What a session may do before it has proved a second factor, and the step-up check of sensitive
// mutations (docs/authentication.md, "Second factor"). The gate is applied by the role middleware to root
// fields only: every other field is reachable only through one of them.
import { AppError, ErrorCode } from '../shared/errors.js';
import type { Viewer } from './viewer.js';

/** How recent a second factor must be for a sensitive mutation. */
export const STEP_UP_WINDOW_MS = 15 * 60 * 1000;

/** Root fields a session of a required role with no second factor may use: enrolling, and leaving. */
const BEFORE_ENROLMENT = new Set([
  'me',
  'secondFactorStatus',
  'beginTotpEnrolment',
  'confirmTotpEnrolment',
  'beginPasskeyRegistration',
  'finishPasskeyRegistration',
  'logout',
  'logoutAll',
]);

/** Root fields a session not yet verified (an enrolled user's older session) may use: verifying, and leaving. */
const BEFORE_VERIFICATION = new Set(['me', 'secondFactorStatus', 'reauthenticate', 'beginPasskeyReauthentication', 'logout', 'logoutAll']);

/** The refusal of a root field for a session that still owes its second factor; null when it may go on. */
export function secondFactorRefusal(viewer: Viewer, fieldName: string): AppError | null {
  if (viewer.secondFactorPending === 'ENROL' && !BEFORE_ENROLMENT.has(fieldName)) {
    return new AppError(ErrorCode.SECOND_FACTOR_ENROLMENT_REQUIRED, 'your role needs a second factor: enrol one (beginTotpEnrolment or a passkey) first');
  }
  if (viewer.secondFactorPending === 'VERIFY' && !BEFORE_VERIFICATION.has(fieldName)) {
    return new AppError(ErrorCode.STEP_UP_REQUIRED, 'this session has not proved your second factor: call reauthenticate first');
  }
  return null;
}

/** The sentence every sensitive mutation's description ends with. */
export const STEP_UP_NOTE =
  'Needs a second factor proved in the last 15 minutes when your roles need one or you have one (STEP_UP_REQUIRED: call reauthenticate).';

/**
 * Throws STEP_UP_REQUIRED unless the viewer's session proved a second factor in the last 15 minutes. A
 * viewer whose roles need none and who has enrolled none has nothing to prove (MFA_REQUIRED_ROLES decides).
 */
export function requireRecentSecondFactor(viewer: Viewer, now: Date): void {
  if (!viewer.needsStepUp) return;
  const at = viewer.secondFactorAt;
  if (at && now.getTime() - at.getTime() <= STEP_UP_WINDOW_MS) return;
  throw new AppError(ErrorCode.STEP_UP_REQUIRED, 'this needs your second factor from the last 15 minutes: call reauthenticate, then retry', {
    stepUpWindowSeconds: STEP_UP_WINDOW_MS / 1000,
  });
}

/**
 * The hook for ending another user's session (revokeSession): ending your own needs nothing more, ending
 * someone else's is a sensitive admin mutation.
 */
export function requireStepUpToEndSessionOf(viewer: Viewer, sessionOwnerId: string, now: Date): void {
  if (sessionOwnerId !== viewer.userId) requireRecentSecondFactor(viewer, now);
}

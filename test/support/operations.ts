// The contract's authentication operations, as the frontends send them: the text comes from the repository's
// copy of the contract (contract/operations.graphql, with the fragments each spreads), the types from the
// typed document nodes generated from it (`npm run contract:types`, test/support/generated/).
import { fromContract } from './contract.js';
import {
  ChangePasswordDocument,
  LoginDocument,
  LogoutAllDocument,
  LogoutDocument,
  RefreshSessionDocument,
  RegisterDocument,
  RequestOtpDocument,
  RequestPasswordResetDocument,
  ResetPasswordDocument,
  VerifyOtpDocument,
} from './generated/contract-operations.js';

export const REGISTER = fromContract(RegisterDocument);
export const LOGIN = fromContract(LoginDocument);
export const REQUEST_OTP = fromContract(RequestOtpDocument);
export const VERIFY_OTP = fromContract(VerifyOtpDocument);
export const REFRESH = fromContract(RefreshSessionDocument);
export const LOGOUT = fromContract(LogoutDocument);
export const LOGOUT_ALL = fromContract(LogoutAllDocument);
export const REQUEST_RESET = fromContract(RequestPasswordResetDocument);
export const RESET = fromContract(ResetPasswordDocument);
export const CHANGE_PASSWORD = fromContract(ChangePasswordDocument);

/**
 * Not a contract operation: the frontends send `Me`, which reads every facet; the identity tests read the
 * user's own fields alone.
 */
export const ME_IDENTITY = `query { me { id name email phone roles status createdAt } }`;

/** The contract's SessionParts fragment, inlined, for operations outside the contract (the second factor's). */
export const SESSION_PARTS = `accessToken accessTokenExpiresAt refreshToken user { id name roles }`;

let ipCounter = 0;
/** A distinct client address per caller (the test server trusts X-Forwarded-For), so IP throttling stays out of the way. */
export function fromNewIp(): { headers: Record<string, string> } {
  ipCounter += 1;
  return { headers: { 'x-forwarded-for': `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}` } };
}

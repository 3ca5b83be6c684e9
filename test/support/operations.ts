// The contract's authentication operations, as the frontends send them.
export const SESSION_PARTS = `accessToken accessTokenExpiresAt refreshToken user { id name roles }`;

export const REGISTER = `mutation Register($input: RegisterInput!) { register(input: $input) { ${SESSION_PARTS} } }`;
export const LOGIN = `mutation Login($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { ${SESSION_PARTS} } }`;
export const REQUEST_OTP = `mutation RequestOtp($phone: String!) { requestOtp(phone: $phone) { expiresAt resendAfter } }`;
export const VERIFY_OTP = `mutation VerifyOtp($phone: String!, $code: String!) { verifyOtp(phone: $phone, code: $code) { ${SESSION_PARTS} } }`;
export const REFRESH = `mutation RefreshSession($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_PARTS} } }`;
export const LOGOUT = `mutation Logout($refreshToken: String!) { logout(refreshToken: $refreshToken) }`;
export const LOGOUT_ALL = `mutation LogoutAll { logoutAll }`;
export const REQUEST_RESET = `mutation RequestPasswordReset($identifier: String!) { requestPasswordReset(identifier: $identifier) }`;
export const RESET = `mutation ResetPassword($token: String!, $newPassword: String!) { resetPassword(token: $token, newPassword: $newPassword) }`;
export const CHANGE_PASSWORD = `mutation ChangePassword($currentPassword: String!, $newPassword: String!) { changePassword(currentPassword: $currentPassword, newPassword: $newPassword) }`;
export const ME_IDENTITY = `query { me { id name email phone roles status createdAt } }`;

let ipCounter = 0;
/** A distinct client address per caller (the test server trusts X-Forwarded-For), so IP throttling stays out of the way. */
export function fromNewIp(): { headers: Record<string, string> } {
  ipCounter += 1;
  return { headers: { 'x-forwarded-for': `10.${(ipCounter >> 16) & 255}.${(ipCounter >> 8) & 255}.${ipCounter & 255}` } };
}

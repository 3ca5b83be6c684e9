// The IDE's operations sent before it is a staff session (signing in, the second factor's challenge,
// refreshing and ending the session): trusted documents, listed in contract/persisted-query-manifest.json
// by `npm run manifest`, so that they run where only trusted documents may (TRUSTED_DOCUMENTS=only).
// Everything else the IDE sends is run by staff, who may send any document.
const SESSION_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id name roles }';

export const SIGN_IN_OPERATIONS = {
  IdeLogin: `mutation IdeLogin($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { ${SESSION_FIELDS} } }`,
  IdeVerifySecondFactor: `mutation IdeVerifySecondFactor($challenge: String!, $code: String, $recoveryCode: String, $passkeyResponse: String) {
  verifySecondFactor(challenge: $challenge, code: $code, recoveryCode: $recoveryCode, passkeyResponse: $passkeyResponse) { ${SESSION_FIELDS} } }`,
  IdeBeginPasskeySignIn: 'mutation IdeBeginPasskeySignIn($challenge: String!) { beginPasskeySignIn(challenge: $challenge) }',
  IdeRefresh: `mutation IdeRefresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`,
  IdeLogout: 'mutation IdeLogout($refreshToken: String!) { logout(refreshToken: $refreshToken) }',
};

// The IDE's sign-in session, in the browser: login → access token in the request headers, refreshed a
// minute before it expires and once more when the server answers UNAUTHENTICATED. Tokens live in memory
// only (a reload signs out): nothing a script on another tab could read from storage.
// A staff sign-in may answer SECOND_FACTOR_REQUIRED: signIn then returns the challenge, which
// verifySecondFactor (an app code, a recovery code) or signInWithPasskey completes. A session whose role
// needs a second factor it does not have is `pending: 'ENROL'` until an app or a passkey is enrolled.
// Plain JavaScript bundled by esbuild: the project's tsc program targets Node and has no DOM types.
import { startAuthentication, startRegistration } from '@simplewebauthn/browser';
import { SIGN_IN_OPERATIONS } from './sign-in.operations.js';

const REFRESH_MARGIN_MS = 60_000;

function firstErrorCode(body) {
  return body?.errors?.[0]?.extensions?.code;
}

/**
 * How long the access token is good for, from its own iat/exp: counted from when it arrived, so a browser
 * whose clock differs from the server's neither refreshes on every request nor lets the token lapse.
 */
function lifetimeMs(payload) {
  try {
    const encoded = payload.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const { iat, exp } = JSON.parse(atob(encoded));
    if (Number.isFinite(iat) && Number.isFinite(exp)) return (exp - iat) * 1000;
  } catch {
    // Not a readable JWT: fall back on the server's expiry instant.
  }
  return new Date(payload.accessTokenExpiresAt).getTime() - Date.now();
}

export function createSession(endpoint) {
  let state = null;
  let refreshTimer = null;
  let refreshing = null;
  const listeners = new Set();

  const notify = () => listeners.forEach((listener) => listener(state));

  async function post(body, headers = {}) {
    const response = await fetch(endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    return response.json();
  }

  function adopt(payload, pending = state?.pending ?? null) {
    state = {
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: Date.now() + lifetimeMs(payload),
      user: payload.user,
      pending,
    };
    clearTimeout(refreshTimer);
    const delay = Math.max(5_000, state.expiresAt - Date.now() - REFRESH_MARGIN_MS);
    refreshTimer = setTimeout(() => void refresh().catch(() => {}), delay);
    notify();
  }

  function clear() {
    clearTimeout(refreshTimer);
    state = null;
    notify();
  }

  /** What the new session still owes (ENROL, VERIFY or null), read with its own token. */
  async function pendingOf(payload) {
    const body = await post(
      { query: 'query IdeSecondFactor { secondFactorStatus { pending } }', operationName: 'IdeSecondFactor' },
      { authorization: `Bearer ${payload.accessToken}` },
    );
    return body.data?.secondFactorStatus?.pending ?? null;
  }

  async function adoptSignIn(payload) {
    adopt(payload, await pendingOf(payload));
  }

  /** Signs in; answers null when done, or `{ challenge, methods }` when the account's second factor is needed. */
  async function signIn(identifier, password) {
    const body = await post({
      query: SIGN_IN_OPERATIONS.IdeLogin,
      variables: { identifier, password },
      operationName: 'IdeLogin',
    });
    if (firstErrorCode(body) === 'SECOND_FACTOR_REQUIRED') {
      const { challenge, methods } = body.errors[0].extensions;
      return { challenge, methods };
    }
    if (!body.data?.login) throw new Error(body.errors?.[0]?.message ?? 'sign-in failed');
    await adoptSignIn(body.data.login);
    return null;
  }

  /** Completes a challenged sign-in with exactly one of `code`, `recoveryCode`, `passkeyResponse`. */
  async function verifySecondFactor(challenge, proof) {
    const body = await post({
      query: SIGN_IN_OPERATIONS.IdeVerifySecondFactor,
      variables: { challenge, ...proof },
      operationName: 'IdeVerifySecondFactor',
    });
    if (!body.data?.verifySecondFactor) {
      const error = new Error(body.errors?.[0]?.message ?? 'verification failed');
      error.code = firstErrorCode(body);
      throw error;
    }
    await adoptSignIn(body.data.verifySecondFactor);
  }

  async function signInWithPasskey(challenge) {
    const body = await post({
      query: SIGN_IN_OPERATIONS.IdeBeginPasskeySignIn,
      variables: { challenge },
      operationName: 'IdeBeginPasskeySignIn',
    });
    if (!body.data?.beginPasskeySignIn) throw new Error(body.errors?.[0]?.message ?? 'passkeys are not available');
    const assertion = await startAuthentication({ optionsJSON: JSON.parse(body.data.beginPasskeySignIn) });
    await verifySecondFactor(challenge, { passkeyResponse: JSON.stringify(assertion) });
  }

  /** An operation of the signed-in session (enrolment): its data, or an Error with the server's message. */
  async function call(query, variables, operationName) {
    const body = await post({ query, variables, operationName }, authorization());
    const data = body.data?.[Object.keys(body.data ?? {})[0]];
    if (body.errors?.length || data === undefined || data === null) throw new Error(body.errors?.[0]?.message ?? 'the server refused');
    return data;
  }

  function beginTotpEnrolment() {
    return call('mutation IdeBeginTotpEnrolment { beginTotpEnrolment { secret uri } }', {}, 'IdeBeginTotpEnrolment');
  }

  /** Confirms the app with its first code; answers the recovery codes (shown once) and frees the session. */
  async function confirmTotpEnrolment(code) {
    const confirmed = await call(
      'mutation IdeConfirmTotpEnrolment($code: String!) { confirmTotpEnrolment(code: $code) { recoveryCodes } }',
      { code },
      'IdeConfirmTotpEnrolment',
    );
    return confirmed.recoveryCodes;
  }

  /** Shown the recovery codes: the session may now do everything its roles allow. */
  function finishEnrolment() {
    if (!state) return;
    state = { ...state, pending: null };
    notify();
  }

  async function registerPasskey(name) {
    const options = await call('mutation IdeBeginPasskeyRegistration { beginPasskeyRegistration }', {}, 'IdeBeginPasskeyRegistration');
    const attestation = await startRegistration({ optionsJSON: JSON.parse(options) });
    await call(
      'mutation IdeFinishPasskeyRegistration($response: String!, $name: String!) { finishPasskeyRegistration(response: $response, name: $name) { id } }',
      { response: JSON.stringify(attestation), name },
      'IdeFinishPasskeyRegistration',
    );
    finishEnrolment();
  }

  // Two callers needing a refresh at once share one request: a second rotation of the same token would
  // look like reuse to the server.
  function refresh() {
    if (!state) return Promise.resolve(false);
    refreshing ??= (async () => {
      try {
        const body = await post({
          query: SIGN_IN_OPERATIONS.IdeRefresh,
          variables: { refreshToken: state.refreshToken },
          operationName: 'IdeRefresh',
        });
        if (body.data?.refreshSession) {
          adopt(body.data.refreshSession);
          return true;
        }
        // Another tab of this page refreshed first: the current token is still good for a moment.
        if (firstErrorCode(body) === 'REFRESH_RACE') return false;
        clear();
        return false;
      } finally {
        refreshing = null;
      }
    })();
    return refreshing;
  }

  async function signOut() {
    if (!state) return;
    const { accessToken, refreshToken } = state;
    clear();
    await post(
      { query: SIGN_IN_OPERATIONS.IdeLogout, variables: { refreshToken }, operationName: 'IdeLogout' },
      { authorization: `Bearer ${accessToken}` },
    ).catch(() => {});
  }

  function authorization() {
    return state ? { authorization: `Bearer ${state.accessToken}` } : {};
  }

  /** GraphiQL's fetcher: the editor's headers, then the session's token on top. */
  async function execute(params, editorHeaders) {
    if (state && state.expiresAt - Date.now() < REFRESH_MARGIN_MS) await refresh();
    // The editor shows `Authorization` too: drop any spelling of it so only the freshest token is sent.
    const otherHeaders = Object.fromEntries(Object.entries(editorHeaders ?? {}).filter(([name]) => name.toLowerCase() !== 'authorization'));
    const send = () => post(params, { ...otherHeaders, ...authorization() });
    const body = await send();
    if (state && firstErrorCode(body) === 'UNAUTHENTICATED' && (await refresh())) return send();
    return body;
  }

  return {
    signIn,
    verifySecondFactor,
    signInWithPasskey,
    beginTotpEnrolment,
    confirmTotpEnrolment,
    finishEnrolment,
    registerPasskey,
    signOut,
    refresh,
    execute,
    current: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

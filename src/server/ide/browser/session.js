// The IDE's sign-in session, in the browser: login → access token in the request headers, refreshed a
// minute before it expires and once more when the server answers UNAUTHENTICATED. Tokens live in memory
// only (a reload signs out): nothing a script on another tab could read from storage.
// Plain JavaScript bundled by esbuild: the project's tsc program targets Node and has no DOM types.

const SESSION_FIELDS = 'accessToken accessTokenExpiresAt refreshToken user { id name roles }';
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

  function adopt(payload) {
    state = {
      accessToken: payload.accessToken,
      refreshToken: payload.refreshToken,
      expiresAt: Date.now() + lifetimeMs(payload),
      user: payload.user,
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

  async function signIn(identifier, password) {
    const body = await post({
      query: `mutation IdeLogin($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { ${SESSION_FIELDS} } }`,
      variables: { identifier, password },
      operationName: 'IdeLogin',
    });
    if (!body.data?.login) throw new Error(body.errors?.[0]?.message ?? 'sign-in failed');
    adopt(body.data.login);
  }

  // Two callers needing a refresh at once share one request: a second rotation of the same token would
  // look like reuse to the server.
  function refresh() {
    if (!state) return Promise.resolve(false);
    refreshing ??= (async () => {
      try {
        const body = await post({
          query: `mutation IdeRefresh($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_FIELDS} } }`,
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
      { query: 'mutation IdeLogout($refreshToken: String!) { logout(refreshToken: $refreshToken) }', variables: { refreshToken }, operationName: 'IdeLogout' },
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

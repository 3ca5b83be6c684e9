// Signing in and keeping the session: the access token lasts 15 minutes, the refresh token rotates on
// every use. Tabs share one token store (localStorage in a browser), so two tabs refreshing at once see
// REFRESH_RACE in one of them, which then takes the tokens the other tab stored.
import { graphql } from './fetch.js';

export interface Tokens {
  accessToken: string;
  accessTokenExpiresAt: string;
  refreshToken: string;
}

export interface TokenStore {
  read(): Tokens | null;
  write(tokens: Tokens | null): void;
}

const SESSION_PARTS = 'accessToken accessTokenExpiresAt refreshToken user { id name roles }';
const LOGIN = `mutation Login($identifier: String!, $password: String!) { login(identifier: $identifier, password: $password) { ${SESSION_PARTS} } }`;
const REFRESH = `mutation RefreshSession($refreshToken: String!) { refreshSession(refreshToken: $refreshToken) { ${SESSION_PARTS} } }`;

type SessionPayload = Tokens & { user: { id: string; name: string; roles: string[] } };

export class Session {
  private refreshing: Promise<Tokens | null> | null = null;

  constructor(
    private readonly url: string,
    private readonly store: TokenStore,
    private readonly sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds)),
  ) {}

  /** A sign-in sends no Authorization header (one left over from another user would be ignored anyway). */
  async signIn(identifier: string, password: string): Promise<SessionPayload['user']> {
    const answer = await graphql<{ login: SessionPayload }>(this.url, LOGIN, { identifier, password });
    if (!answer.data?.login) throw new Error(answer.errors?.[0]?.extensions?.code ?? 'sign-in failed');
    const { user, ...tokens } = answer.data.login;
    this.store.write(tokens);
    return user;
  }

  /** An access token good for at least another minute, refreshed when needed; null when signed out. */
  async accessToken(now = Date.now()): Promise<string | null> {
    const tokens = this.store.read();
    if (!tokens) return null;
    if (Date.parse(tokens.accessTokenExpiresAt) - now > 60_000) return tokens.accessToken;
    return (await this.refresh())?.accessToken ?? null;
  }

  /** One refresh at a time in this tab: concurrent callers share it. */
  refresh(): Promise<Tokens | null> {
    this.refreshing ??= this.rotate().finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async rotate(): Promise<Tokens | null> {
    const presented = this.store.read();
    if (!presented) return null;
    const answer = await graphql<{ refreshSession: SessionPayload }>(this.url, REFRESH, { refreshToken: presented.refreshToken });
    if (answer.data?.refreshSession) {
      const { user: _user, ...tokens } = answer.data.refreshSession;
      this.store.write(tokens);
      return tokens;
    }
    if (answer.errors?.[0]?.extensions?.code === 'REFRESH_RACE') {
      // Another tab rotated this token within the last 10 seconds: its tokens reach the store shortly.
      for (let attempt = 0; attempt < 20; attempt += 1) {
        const current = this.store.read();
        if (current && current.refreshToken !== presented.refreshToken) return current;
        await this.sleep(100);
      }
    }
    // UNAUTHENTICATED: expired, revoked, or a reused token (which ended the session): sign in again.
    this.store.write(null);
    return null;
  }
}

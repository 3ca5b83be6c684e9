// Calling the API with nothing but fetch: a JSON POST (which CSRF prevention also asks for) and, once
// signed in, a bearer token.
export interface GraphQLError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; retryAfterSeconds?: number; errorId?: string; field?: string };
}

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: GraphQLError[];
}

export async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}, accessToken?: string): Promise<GraphQLAnswer<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(accessToken ? { authorization: `Bearer ${accessToken}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  // Refusals of the request itself (400, 405, 413) come in the same shape, with the code BAD_REQUEST.
  return (await response.json()) as GraphQLAnswer<T>;
}

/** What the app does about an error, by its `extensions.code`. */
export type ClientAction =
  | { kind: 'refresh-and-retry' }
  | { kind: 'show-not-allowed' }
  | { kind: 'show-field-problem'; field?: string; message: string }
  | { kind: 'show-not-found' }
  | { kind: 'show-conflict'; message: string }
  | { kind: 'show-wrong-credentials' }
  | { kind: 'retry-after'; seconds: number }
  | { kind: 'use-other-tabs-tokens' }
  | { kind: 'fix-the-client'; message: string }
  | { kind: 'retry-later'; errorId?: string };

export function actionFor(error: GraphQLError): ClientAction {
  const code = error.extensions?.code;
  switch (code) {
    case 'UNAUTHENTICATED': // no token, an expired one, or the session ended: refresh once, else sign in
      return { kind: 'refresh-and-retry' };
    case 'FORBIDDEN': // signed in, but this role may not: the field is null, the rest of the answer stands
      return { kind: 'show-not-allowed' };
    case 'BAD_USER_INPUT': // the message names the input, e.g. "input.phone: …"
      return { kind: 'show-field-problem', field: error.extensions?.field, message: error.message };
    case 'NOT_FOUND':
      return { kind: 'show-not-found' };
    case 'CONFLICT': // e.g. "already registered: sign in with OTP"
      return { kind: 'show-conflict', message: error.message };
    case 'INVALID_CREDENTIALS': // unknown identifier or wrong password: the same answer on purpose
      return { kind: 'show-wrong-credentials' };
    case 'RATE_LIMITED':
      return { kind: 'retry-after', seconds: error.extensions?.retryAfterSeconds ?? 60 };
    case 'REFRESH_RACE': // another tab refreshed the same session a moment ago
      return { kind: 'use-other-tabs-tokens' };
    case 'BAD_REQUEST': // the HTTP request itself was refused: a bug in the client, not the user's fault
    case 'TRUSTED_DOCUMENT_REQUIRED': // an operation the server's manifest lacks (production runs only those)
    case 'PERSISTED_QUERY_NOT_FOUND': // an id the server does not know: the app is newer than the server
      return { kind: 'fix-the-client', message: error.message };
    default: // INTERNAL_SERVER_ERROR (quote errorId to support), SERVICE_UNAVAILABLE, or a network failure
      return { kind: 'retry-later', errorId: error.extensions?.errorId };
  }
}

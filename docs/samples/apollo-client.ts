// Apollo Client 4: HttpLink posts JSON (CSRF prevention is satisfied as it is), SetContextLink adds the
// bearer token, and errorPolicy 'all' keeps the data next to the errors: a masked field is null with a
// FORBIDDEN error at its path, and the rest of the answer is still there. Given the manifest, operations
// go by id (PersistedQueryLink, see trusted-documents.ts), as they must in production.
import { ApolloClient, ApolloLink, HttpLink, InMemoryCache } from '@apollo/client';
import { SetContextLink } from '@apollo/client/link/context';
import { PersistedQueryLink } from '@apollo/client/link/persisted-queries';
import { persistedIdOf, type PersistedQueryManifest } from './trusted-documents.js';

// Apollo Client 4 types results by the default errorPolicy, which is declared once for the app.
declare module '@apollo/client' {
  export namespace ApolloClient {
    export namespace DeclareDefaultOptions {
      interface Query {
        errorPolicy: 'all';
      }
      interface WatchQuery {
        errorPolicy: 'all';
      }
      interface Mutate {
        errorPolicy: 'all';
      }
    }
  }
}

export function createApolloClient(url: string, accessToken: () => Promise<string | null>, manifest?: PersistedQueryManifest) {
  const auth = new SetContextLink(async (previous) => {
    const token = await accessToken();
    return { headers: { ...previous.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) } };
  });
  return new ApolloClient({
    link: ApolloLink.from([auth, ...(manifest ? [new PersistedQueryLink({ generateHash: persistedIdOf(manifest) })] : []), new HttpLink({ uri: url })]),
    cache: new InMemoryCache(),
    defaultOptions: {
      query: { errorPolicy: 'all' },
      watchQuery: { errorPolicy: 'all' },
      mutate: { errorPolicy: 'all' },
    },
  });
}

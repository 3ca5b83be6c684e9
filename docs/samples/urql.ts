// urql 6 with its default `preferGetMethod: 'within-url-limit'`: short queries go as GET, which carries
// no content type, so the client adds `apollo-require-preflight: true` to every request; without it CSRF
// prevention refuses the GET with BAD_REQUEST. Mutations are always POSTed. Given the manifest, every
// operation goes by id (persistedExchange, see trusted-documents.ts), as it must in production.
import { Client, fetchExchange } from '@urql/core';
import { persistedExchange } from '@urql/exchange-persisted';
import { persistedIdOf, type PersistedQueryManifest } from './trusted-documents.js';

export function createUrqlClient(url: string, accessToken: () => string | null, manifest?: PersistedQueryManifest) {
  const idOf = manifest && persistedIdOf(manifest);
  return new Client({
    url,
    exchanges: idOf ? [persistedExchange({ enforcePersistedQueries: true, enableForMutation: true, generateHash: async (_query, document) => idOf(document) }), fetchExchange] : [fetchExchange],
    fetchOptions: () => {
      const token = accessToken();
      return { headers: { 'apollo-require-preflight': 'true', ...(token ? { authorization: `Bearer ${token}` } : {}) } };
    },
  });
}

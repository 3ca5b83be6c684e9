// urql 6 with its default `preferGetMethod: 'within-url-limit'`: short queries go as GET, which carries
// no content type, so the client adds `apollo-require-preflight: true` to every request; without it CSRF
// prevention refuses the GET with BAD_REQUEST. Mutations are always POSTed.
import { Client, fetchExchange } from '@urql/core';

export function createUrqlClient(url: string, accessToken: () => string | null) {
  return new Client({
    url,
    exchanges: [fetchExchange],
    fetchOptions: () => {
      const token = accessToken();
      return { headers: { 'apollo-require-preflight': 'true', ...(token ? { authorization: `Bearer ${token}` } : {}) } };
    },
  });
}

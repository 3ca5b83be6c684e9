// graphql-request 7: POSTs JSON. `errorPolicy: 'all'` returns data and errors together (by default a
// single error, a masked field's FORBIDDEN say, throws away the whole answer); `rawRequest` gives both.
import { GraphQLClient } from 'graphql-request';

export function createGraphQLRequestClient(url: string, accessToken: () => string | null) {
  return new GraphQLClient(url, {
    errorPolicy: 'all',
    headers: (): Record<string, string> => {
      const token = accessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
}

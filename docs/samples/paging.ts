// Relay connections: forward with `first`/`after` until `hasNextPage` is false; backward from the end with
// `last`/`before` until `hasPreviousPage` is false. `first` and `last` are at most 100.
import { graphql, type GraphQLAnswer } from './fetch.js';

interface Page<Node> {
  edges: { cursor: string; node: Node }[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
}

const USERS_FORWARD = `query Users($first: Int, $after: String) {
  users(first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
}`;
const USERS_BACKWARD = `query UsersBackward($last: Int, $before: String) {
  users(last: $last, before: $before) { edges { cursor node { id name } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
}`;

type User = { id: string; name: string };

export async function allUsersForward(url: string, token: string, pageSize = 20): Promise<User[]> {
  const users: User[] = [];
  let after: string | null = null;
  for (;;) {
    const answer: GraphQLAnswer<{ users: Page<User> }> = await graphql(url, USERS_FORWARD, { first: pageSize, after }, token);
    if (!answer.data) throw new Error(answer.errors?.[0]?.message);
    users.push(...answer.data.users.edges.map((edge) => edge.node));
    if (!answer.data.users.pageInfo.hasNextPage) return users;
    after = answer.data.users.pageInfo.endCursor;
  }
}

/** The same list from the last page back to the first, in the list's own order. */
export async function allUsersBackward(url: string, token: string, pageSize = 20): Promise<User[]> {
  const pages: User[][] = [];
  let before: string | null = null;
  for (;;) {
    const answer: GraphQLAnswer<{ users: Page<User> }> = await graphql(url, USERS_BACKWARD, { last: pageSize, before }, token);
    if (!answer.data) throw new Error(answer.errors?.[0]?.message);
    pages.unshift(answer.data.users.edges.map((edge) => edge.node));
    if (!answer.data.users.pageInfo.hasPreviousPage) return pages.flat();
    before = answer.data.users.pageInfo.startCursor;
  }
}

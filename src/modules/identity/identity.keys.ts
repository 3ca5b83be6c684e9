/**
 * Counter keys: an account's email and phone, in any case or format, share one account key; each
 * normalised identifier also has its own key, whether or not an account holds it.
 */
export const accountKey = (userId: string) => `account:${userId}`;
export const identifierKey = (normalised: string) => `identifier:${normalised}`;
export const ipKey = (address: string) => `ip:${address}`;

/** Every password counter of an account: its own and those of its email and phone. */
export const passwordKeysOf = (user: { id: string; email: string | null; phone: string | null }) => [
  accountKey(user.id),
  ...[user.email, user.phone].filter((value): value is string => Boolean(value)).map(identifierKey),
];

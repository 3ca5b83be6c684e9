/** Counter keys: an account's email and phone, in any case or format, share one key. */
export const accountKey = (userId: string) => `account:${userId}`;
export const identifierKey = (normalised: string) => `identifier:${normalised}`;
export const ipKey = (address: string) => `ip:${address}`;

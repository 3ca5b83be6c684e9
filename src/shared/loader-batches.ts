// Putting batch results back in the order of the keys DataLoader asked for.

export function oneByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map(rows.map((row) => [keyOf(row), row]));
  return keys.map((key) => map.get(key) ?? null);
}

export function manyByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>(keys.map((key) => [key, []]));
  for (const row of rows) map.get(keyOf(row))?.push(row);
  return keys.map((key) => map.get(key) ?? []);
}

/** Splits a batch of composite keys into groups that one query can answer. */
export function groupKeys<K>(keys: readonly K[], groupOf: (key: K) => string): Map<string, K[]> {
  const groups = new Map<string, K[]>();
  for (const key of keys) {
    const group = groupOf(key);
    const members = groups.get(group);
    if (members) members.push(key);
    else groups.set(group, [key]);
  }
  return groups;
}

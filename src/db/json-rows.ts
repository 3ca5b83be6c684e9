// Rows that arrive inside a JSON aggregate (json_agg / to_jsonb, one statement for a parent and its
// children) have their timestamps as ISO strings; these turn them back into the Date values the ORM and
// plain $queryRaw columns give, so a row reads the same whichever statement brought it.
export function reviveDates<T extends object>(row: T, fields: readonly (keyof T)[]): T {
  const record = row as Record<keyof T, unknown>;
  for (const field of fields) {
    const value = record[field];
    if (typeof value === 'string') record[field] = new Date(value);
  }
  return row;
}

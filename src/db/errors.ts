// Driver and Prisma errors that services turn into typed AppErrors.
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const candidate = error as { code?: string; cause?: { code?: string }; meta?: { driverAdapterError?: { cause?: { kind?: string } } } };
  return (
    candidate.code === 'P2002' ||
    candidate.code === '23505' ||
    candidate.meta?.driverAdapterError?.cause?.kind === 'UniqueConstraintViolation'
  );
}

// Whether a configured secret (JWT_SECRET, METRICS_TOKEN) looks random. Length alone lets
// "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" through; these checks refuse repeats, small alphabets and patterns,
// while every output of `openssl rand -base64 24` or longer, or `openssl rand -hex 32`, passes.
const SECRET_MIN_BYTES = 32;
const SECRET_MIN_DISTINCT_CHARACTERS = 10;
/** No one character may make up more than this share of the secret. */
const SECRET_MAX_CHARACTER_SHARE = 0.25;
/**
 * The estimate below is the secret's own letter frequencies (and those of the steps between neighbouring
 * characters, which exposes "abcdef…" and "abcabc…"), so it understates a random secret: 32 random
 * base64 characters estimate at 125 bits or more; a short run of patterns estimates far lower.
 */
const SECRET_MIN_ESTIMATED_BITS = 96;

const SECRET_RECIPE = 'make a random one with `openssl rand -base64 48`';

/** What is wrong with the secret, or undefined when it passes. */
export function secretWeakness(secret: string): string | undefined {
  if (Buffer.byteLength(secret) < SECRET_MIN_BYTES) return `must be at least ${SECRET_MIN_BYTES} bytes: ${SECRET_RECIPE}`;
  const characters = [...secret].map((character) => character.codePointAt(0)!);
  const counts = countOf(characters);
  if (counts.size < SECRET_MIN_DISTINCT_CHARACTERS) {
    return `has too few distinct characters (at least ${SECRET_MIN_DISTINCT_CHARACTERS}): ${SECRET_RECIPE}`;
  }
  if (Math.max(...counts.values()) > characters.length * SECRET_MAX_CHARACTER_SHARE) {
    return `repeats one character too often: ${SECRET_RECIPE}`;
  }
  const steps = characters.slice(1).map((code, index) => code - characters[index]);
  const estimatedBits = Math.min(shannonBits(characters), shannonBits(steps));
  if (estimatedBits < SECRET_MIN_ESTIMATED_BITS) return `follows a pattern and is too easy to guess: ${SECRET_RECIPE}`;
  return undefined;
}

function countOf(values: number[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** Shannon entropy of the values' own frequencies, times their number. */
function shannonBits(values: number[]): number {
  let perValue = 0;
  for (const count of countOf(values).values()) {
    const share = count / values.length;
    perValue -= share * Math.log2(share);
  }
  return perValue * values.length;
}

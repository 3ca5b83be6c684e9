// The problems parseConfig names for a set of settings on top of a valid test base ([] when it accepts them).
import { ConfigError, parseConfig } from '../../src/config/env.js';

export const CONFIG_BASE = { NODE_ENV: 'test', JWT_SECRET: 'unit-test-secret-that-is-at-least-32-bytes' };

export function configProblems(environment: Record<string, string>, base: Record<string, string> = CONFIG_BASE): string[] {
  try {
    parseConfig({ ...base, ...environment });
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

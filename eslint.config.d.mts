// Types of eslint.config.mjs for the TypeScript that imports it (the lint rules' test).
import type { Linter } from 'eslint';

export declare const boundariesSection: Linter.Config & { settings: Record<string, unknown> };
export declare const environmentSection: Linter.Config;
declare const config: Linter.Config[];
export default config;

// The README is a newcomer's first stop: its configuration table must name every variable the server
// reads, and its demo logins must be the ones the seed creates.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIGURATION_VARIABLES } from '../../src/config/env.js';
import { DEMO_CUSTOMER_EMAIL, DEMO_PASSWORD, DEMO_STAFF } from '../../src/seed/demo-logins.js';
import { PROJECT_ROOT } from '../../src/shared/project-root.js';

const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');

describe('README.md', () => {
  it('documents every configuration variable', () => {
    const variables = CONFIGURATION_VARIABLES;
    expect(variables.length).toBeGreaterThan(20);
    const documented = new Set([...readme.matchAll(/^\| `([A-Z0-9_]+)`(?:, `([A-Z0-9_]+)`)? \|/gm)].flatMap((match) => match.slice(1).filter(Boolean)));
    expect(variables.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('lists the demo logins and password the seed creates', () => {
    expect(readme).toContain(`**\`${DEMO_PASSWORD}\`**`);
    for (const email of [...DEMO_STAFF.map((login) => login.email), DEMO_CUSTOMER_EMAIL]) expect(readme).toContain(`\`${email}\``);
  });
});

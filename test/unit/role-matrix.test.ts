// docs/roles.md is generated from the directives: each cell says what the server enforces.
import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { renderRoleMatrix } from '../../src/auth/role-audit.js';
import { buildBaseSchema } from '../../src/server/schema.js';

function row(markdown: string, field: string): string[] {
  const line = markdown.split('\n').find((candidate) => candidate.startsWith(`| ${field} |`));
  if (!line) throw new Error(`no row for ${field}`);
  return line
    .split('|')
    .slice(2, -1)
    .map((cell) => cell.trim());
}

describe('the role matrix', () => {
  it('has one column per role: yes, own, — or public', async () => {
    const markdown = renderRoleMatrix(await buildBaseSchema());
    expect(markdown).toContain('| field | CUSTOMER | DELIVERY_BOY | SUPPLIER | MARKETING_STAFF | ADMIN |');
    expect(row(markdown, 'activationDashboard')).toEqual(['—', '—', '—', '—', 'yes']);
    expect(row(markdown, 'customers')).toEqual(['—', 'own', '—', 'yes', 'yes']);
    expect(row(markdown, 'login')).toEqual(['public', 'public', 'public', 'public', 'public']);
    expect(row(markdown, 'Customer.phone')).toEqual(['own', 'own', '—', 'yes', 'yes']);
  });
});

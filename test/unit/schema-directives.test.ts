// Every field of the schema declares who may use it (SPEC §3): the directive is the single source of
// authorization, and a field without one would be a hole.
import 'reflect-metadata';
import { parse, validate, buildSchema as buildSdl } from 'graphql';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fieldsWithoutDirective, listFieldAccess } from '../../src/auth/authorization.js';
import { renderRoleAudit } from '../../src/auth/role-audit.js';
import { buildBaseSchema, printAppSchema } from '../../src/server/schema.js';

describe('role directives', () => {
  it('are on every field of every object type, query and mutation', async () => {
    const schema = await buildBaseSchema();
    const entries = listFieldAccess(schema);
    expect(entries.length).toBeGreaterThan(30);
    expect(fieldsWithoutDirective(schema)).toEqual([]);
    for (const entry of entries) {
      for (const grant of entry.grants) expect(grant.roles.length, `${entry.typeName}.${entry.fieldName}`).toBeGreaterThan(0);
    }
  });

  it('come with simple resolvers on every object type: a plain field has no resolver for its guard to call', async () => {
    await buildBaseSchema();
    // type-graphql's own record of the decorators (it keeps it on globalThis): every @ObjectType says
    // simpleResolvers, else each plain field gets a resolver that allocates on every call.
    const storage = (globalThis as { TypeGraphQLMetadataStorage?: { objectTypes: { name: string; simpleResolvers?: boolean }[] } }).TypeGraphQLMetadataStorage;
    expect(storage?.objectTypes.length).toBeGreaterThan(30);
    expect(storage?.objectTypes.filter((type) => type.simpleResolvers !== true).map((type) => type.name)).toEqual([]);
  });

  it('keep the public surface to the unauthenticated sign-in operations', async () => {
    const schema = await buildBaseSchema();
    const publicRoots = listFieldAccess(schema)
      .filter((entry) => (entry.typeName === 'Query' || entry.typeName === 'Mutation') && entry.isPublic)
      .map((entry) => entry.fieldName)
      .sort();
    // The second step of a challenged sign-in is unauthenticated too: the challenge token is its credential.
    expect(publicRoots).toEqual([
      'beginPasskeySignIn',
      'login',
      'refreshSession',
      'register',
      'requestOtp',
      'requestPasswordReset',
      'resetPassword',
      'verifyOtp',
      'verifySecondFactor',
    ]);
  });

  it('are printed into schema.graphql and docs/ROLE_AUDIT.md as committed', async () => {
    expect(readFileSync('schema.graphql', 'utf8')).toBe(await printAppSchema());
    expect(readFileSync('docs/ROLE_AUDIT.md', 'utf8')).toBe(renderRoleAudit(await buildBaseSchema()));
    // Each argument is printed after its description.
    expect(readFileSync('schema.graphql', 'utf8')).toMatch(
      /directive @auth\(\s*"""[^"]+"""\s*owner: Boolean = false\s*"""[^"]+"""\s*roles: \[Role!\]!\s*\) repeatable on FIELD_DEFINITION/,
    );
  });

  it('let the schema build from its printed form', async () => {
    const printed = await printAppSchema();
    const rebuilt = buildSdl(printed);
    const errors = validate(rebuilt, parse('query { me { id roles } }'));
    expect(errors).toEqual([]);
  });
});

// The IDE's preloaded tabs are the contract's operations and run against the schema; the served schema
// carries each field's access rule in its description while the printed schema.graphql does not change.
import 'reflect-metadata';
import { isObjectType, Kind, parse, print, validate, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { IDE_OPERATIONS, IDE_TABS } from '../../src/server/ide/default-tabs.js';
import { buildBaseSchema, buildProtectedSchema, printAppSchema } from '../../src/server/schema.js';
import { contractDocument } from '../support/contract.js';


describe('the IDE tabs', () => {
  it('validate against the schema, each on its own', async () => {
    const schema = await buildBaseSchema();
    for (const tab of IDE_TABS) expect(validate(schema, parse(tab.query)).map((error) => error.message)).toEqual([]);
    expect(IDE_TABS.map((tab) => (parse(tab.query).definitions[0] as OperationDefinitionNode).name?.value)).toEqual(['ActivationDashboard', 'Me']);
  });

  it('are the contract operations word for word', () => {
    const contract = contractDocument();
    for (const [name, text] of Object.entries(IDE_OPERATIONS)) {
      const operation = contract.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION && definition.name?.value === name)!;
      expect(print(parse(text).definitions[0])).toBe(print(operation));
    }
  });
});

describe('access rules in descriptions', () => {
  it('describe every field of the served schema', async () => {
    const schema = await buildProtectedSchema();
    const query = schema.getQueryType()!.getFields();
    expect(query.activationDashboard.description).toMatch(/Access: ADMIN$/);
    expect(query.customers.description).toMatch(/Access: ADMIN, MARKETING_STAFF; DELIVERY_BOY \(owner\)$/);
    expect(schema.getMutationType()!.getFields().login.description).toMatch(/Access: public$/);
    for (const type of Object.values(schema.getTypeMap())) {
      if (!isObjectType(type) || type.name.startsWith('__')) continue;
      for (const field of Object.values(type.getFields())) expect(field.description, `${type.name}.${field.name}`).toMatch(/Access: /);
    }
  });

  it('stay out of the printed schema.graphql', async () => {
    await buildProtectedSchema();
    expect(await printAppSchema()).not.toContain('Access: ');
  });
});

// The IDE's preloaded tabs are the contract's operations and run against the schema; the served schema
// carries each field's access rule in its description while the printed schema.graphql does not change.
import 'reflect-metadata';
import { isObjectType, Kind, parse, print, validate, type GraphQLScalarType, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { dashboardExampleVariables, IDE_OPERATIONS, ideTabs } from '../../src/server/ide/default-tabs.js';
import { buildBaseSchema, buildProtectedSchema, printAppSchema } from '../../src/server/schema.js';
import { contractDocument } from '../support/contract.js';

const IDE_TABS = ideTabs(new Date('2026-06-15T06:30:00Z'));

describe('the IDE tabs', () => {
  it('validate against the schema, each on its own', async () => {
    const schema = await buildBaseSchema();
    for (const tab of IDE_TABS) expect(validate(schema, parse(tab.query)).map((error) => error.message)).toEqual([]);
    expect(IDE_TABS.map((tab) => (parse(tab.query).definitions[0] as OperationDefinitionNode).name?.value)).toEqual(['ActivationDashboard', 'Me']);
  });

  it('fill the dashboard variables with the last twelve IST months of signups, as of now', async () => {
    expect(JSON.parse(IDE_TABS[0].variables!)).toEqual({
      asOf: '2026-06-15T12:00:00+05:30',
      signupFrom: '2025-07-01T00:00:00+05:30',
      signupTo: '2026-07-01T00:00:00+05:30',
    });
    // 23:50 UTC on 31 December is already 1 January in India: the example follows the IST calendar.
    expect(dashboardExampleVariables(new Date('2026-12-31T23:50:30Z'))).toEqual({
      asOf: '2027-01-01T05:20:00+05:30',
      signupFrom: '2026-02-01T00:00:00+05:30',
      signupTo: '2027-02-01T00:00:00+05:30',
    });
    // They are the operation's variables, and the API's DateTime reads them as the intended instants.
    const variables = (parse(IDE_TABS[0].query).definitions[0] as OperationDefinitionNode).variableDefinitions!.map(
      (definition) => definition.variable.name.value,
    );
    expect(Object.keys(JSON.parse(IDE_TABS[0].variables!))).toEqual(variables);
    const dateTime = (await buildBaseSchema()).getType('DateTime') as GraphQLScalarType;
    const instants = Object.values(JSON.parse(IDE_TABS[0].variables!)).map((value) => (dateTime.parseValue(value) as Date).toISOString());
    expect(instants).toEqual(['2026-06-15T06:30:00.000Z', '2025-06-30T18:30:00.000Z', '2026-06-30T18:30:00.000Z']);
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

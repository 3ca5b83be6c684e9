// The emitted schema is the frontends' reference: every type, field, argument, enum value, input field and
// directive in it says what it is. Read back through graphql-js from exactly what `schema:emit` prints.
import 'reflect-metadata';
import {
  buildSchema,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedDirective,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { printAppSchema } from '../../src/server/schema.js';

const isDescribed = (description: string | null | undefined) => (description ?? '').trim().length > 0;

/** The schema coordinates (Type, Type.field, Type.field(arg:), Enum.VALUE, @directive(arg:)) that have no description. */
function undescribed(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const check = (coordinate: string, description: string | null | undefined) => {
    if (!isDescribed(description)) missing.push(coordinate);
  };
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    check(type.name, type.description);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        check(`${type.name}.${field.name}`, field.description);
        for (const arg of field.args) check(`${type.name}.${field.name}(${arg.name}:)`, arg.description);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields())) check(`${type.name}.${field.name}`, field.description);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) check(`${type.name}.${value.name}`, value.description);
    }
  }
  for (const directive of schema.getDirectives()) {
    if (isSpecifiedDirective(directive)) continue;
    check(`@${directive.name}`, directive.description);
    for (const arg of directive.args) check(`@${directive.name}(${arg.name}:)`, arg.description);
  }
  return missing.sort();
}

describe('schema descriptions', () => {
  it('describe every type, field, argument, enum value, input field and directive of the emitted schema', async () => {
    expect(undescribed(buildSchema(await printAppSchema()))).toEqual([]);
  });

  it('are found missing wherever one is left out', () => {
    const schema = buildSchema(`
      """Described."""
      type Query {
        """Described."""
        item(id: ID!): Item
      }
      type Item { name: String }
      """Described."""
      enum Colour { RED }
      input Filter { """Described.""" colour: Colour, """   """ name: String }
      directive @tag(name: String) on FIELD_DEFINITION
    `);
    expect(undescribed(schema)).toEqual(['@tag', '@tag(name:)', 'Colour.RED', 'Filter', 'Filter.name', 'Item', 'Item.name', 'Query.item(id:)']);
  });
});

// Directives are not visible through introspection, so the IDE's schema explorer would not show who may
// use a field. The served schema therefore carries each field's rule at the end of its description
// ("Access: ADMIN, MARKETING_STAFF; CUSTOMER (owner)"). Only the served schema: the printed
// schema.graphql keeps the directives themselves and is unchanged.
import { MapperKind, mapSchema } from '@graphql-tools/utils';
import type { GraphQLSchema } from 'graphql';
import { listFieldAccess } from '../../auth/authorization.js';

function describeAccess(grants: { roles: string[]; owner: boolean }[]): string {
  if (grants.length === 0) return 'Access: public';
  return `Access: ${grants.map((grant) => `${grant.roles.join(', ')}${grant.owner ? ' (owner)' : ''}`).join('; ')}`;
}

export function withAccessDescriptions(schema: GraphQLSchema): GraphQLSchema {
  const rules = new Map(listFieldAccess(schema).map((entry) => [`${entry.typeName}.${entry.fieldName}`, describeAccess(entry.grants)]));
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const rule = rules.get(`${typeName}.${fieldName}`);
      if (!rule) return fieldConfig;
      return { ...fieldConfig, description: fieldConfig.description ? `${fieldConfig.description}\n\n${rule}` : rule };
    },
  });
}

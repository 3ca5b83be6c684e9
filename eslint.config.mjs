// ESLint flat config. One section per kind of file: today the emitted GraphQL schema; a TypeScript section
// goes next to it as another entry of the array, with its own `files`, so neither sees the other's rules.
// No recommended schema rule is turned off; the one reconfigured is listed, with why, in docs/schema-lint.md.
import graphqlPlugin from '@graphql-eslint/eslint-plugin';

/** schema.graphql, as `npm run schema:emit` writes it: what the frontends read and code against. */
const schemaSection = {
  files: ['schema.graphql'],
  languageOptions: {
    parser: graphqlPlugin.parser,
    // Rules that need the whole schema (no-unreachable-types, rootField descriptions) build it from this file.
    parserOptions: { graphQLConfig: { schema: 'schema.graphql' } },
  },
  plugins: { '@graphql-eslint': graphqlPlugin },
  rules: {
    ...graphqlPlugin.configs['flat/schema-recommended'].rules,
    // Every type, field, argument, input field and enum value says what it is: the schema is the frontends'
    // only reference.
    '@graphql-eslint/require-description': ['error', {
      types: true,
      rootField: true,
      DirectiveDefinition: true,
      FieldDefinition: true,
      InputValueDefinition: true,
      EnumValueDefinition: true,
    }],
    // Kept on for entities, with this project's value types excepted: they are parts of the record they hang
    // from (an order's items, a customer's activation events, a dashboard's figures), computed answers or
    // Relay plumbing, and have no identity a client could refetch or cache by. A new entity type without
    // `id: ID!` still fails; a new value type is added here on purpose.
    '@graphql-eslint/strict-id-in-types': ['error', {
      exceptions: {
        suffixes: ['Connection', 'Edge', 'Payload'],
        types: [
          'PageInfo',
          // Money and computed figures.
          'Money', 'Earnings', 'SupplierEarnings', 'SweepResult',
          'ActivationDashboard', 'ConversionFunnel', 'RevenueByStatus', 'SignupMonth',
          // Parts of a record, read only through it.
          'ActivationEvent', 'OrderItem', 'SupplierOrderLine', 'OtpChallenge', 'FieldAccess',
          // Answers of the second factor's steps: nothing to fetch again by id.
          'TotpEnrolment', 'TotpConfirmation', 'StepUp', 'SecondFactorStatus',
          // The supplier portal's projection of an order: keyed by `orderId`, the Order's own id, because the
          // projection is not an Order a supplier may fetch.
          'SupplierOrder',
        ],
      },
    }],
  },
};

export default [
  // Linted only when named: nothing generated or installed is the project's to lint.
  { ignores: ['node_modules/', 'dist/', 'src/generated/'] },
  schemaSection,
];

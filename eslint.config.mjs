// ESLint flat config. One section per kind of file: the emitted GraphQL schema, and the TypeScript sources,
// each with its own `files`, so neither sees the other's rules.
// No recommended schema rule is turned off; the one reconfigured is listed, with why, in docs/schema-lint.md.
// The TypeScript rules turned off or reconfigured, the boundaries and the local rule: docs/lint.md.
import graphqlPlugin from '@graphql-eslint/eslint-plugin';
import boundaries from 'eslint-plugin-boundaries';
import tseslint from 'typescript-eslint';
import noPrismaOutsideRepositories from './eslint-rules/no-prisma-outside-repositories.mjs';

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
    '@graphql-eslint/require-description': [
      'error',
      {
        types: true,
        rootField: true,
        DirectiveDefinition: true,
        FieldDefinition: true,
        InputValueDefinition: true,
        EnumValueDefinition: true,
      },
    ],
    // Kept on for entities, with this project's value types excepted: they are parts of the record they hang
    // from (an order's items, a customer's activation events, a dashboard's figures), computed answers or
    // Relay plumbing, and have no identity a client could refetch or cache by. A new entity type without
    // `id: ID!` still fails; a new value type is added here on purpose.
    '@graphql-eslint/strict-id-in-types': [
      'error',
      {
        exceptions: {
          suffixes: ['Connection', 'Edge', 'Payload'],
          types: [
            'PageInfo',
            // Money and computed figures.
            'Money',
            'Earnings',
            'SupplierEarnings',
            'SweepResult',
            'ActivationDashboard',
            'ConversionFunnel',
            'RevenueByStatus',
            'SignupMonth',
            // Parts of a record, read only through it.
            'ActivationEvent',
            'OrderItem',
            'SupplierOrderLine',
            'OtpChallenge',
            'FieldAccess',
            // Answers of the second factor's steps: nothing to fetch again by id.
            'TotpEnrolment',
            'TotpConfirmation',
            'StepUp',
            'SecondFactorStatus',
            // The supplier portal's projection of an order: keyed by `orderId`, the Order's own id, because the
            // projection is not an Order a supplier may fetch.
            'SupplierOrder',
          ],
        },
      },
    ],
  },
};

const typescriptFiles = ['src/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts'];

/** The sources, the scripts, the benchmarks and the tests: typescript-eslint's type-aware recommended rules. */
const typescriptSections = [
  ...tseslint.configs.recommendedTypeChecked.map((section) => ({ ...section, files: typescriptFiles })),
  {
    files: typescriptFiles,
    languageOptions: {
      // Each file is checked by the program of the tsconfig.json nearest to it (the root one for everything but
      // the lint rules' fixtures), so the linter sees the types `npm run typecheck` sees.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // `_`-prefixed bindings are unused on purpose (a callback's leading parameters, a rest sibling that drops
      // a field); anything else unused is an error.
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Off: Apollo Server's plugin hooks and the interfaces this code implements return promises, and an
      // `async` method without `await` is how such a hook is written; a forgotten `await` is still caught by
      // no-floating-promises and no-misused-promises (docs/lint.md).
      '@typescript-eslint/require-await': 'off',
      // A module adds its services and loaders to the request context by declaration merging
      // (`interface Services extends ServicesOf<typeof module> {}` in src/modules/*/x.module.ts); an empty
      // interface with no supertype is still an error.
      '@typescript-eslint/no-empty-object-type': ['error', { allowInterfaces: 'with-single-extends' }],
    },
  },
];

/**
 * The tests and benchmarks read GraphQL answers and SQL rows as JSON and check their shape by value (`expect`,
 * the benchmarks' answer digests): the rules about `any` flow would flag every such read without catching a
 * bug an assertion does not. They stay on for src/ and scripts/ (docs/lint.md).
 */
const answerReadingSection = {
  files: ['test/**/*.ts', 'bench/**/*.ts'],
  rules: {
    '@typescript-eslint/no-explicit-any': 'off',
    '@typescript-eslint/no-unsafe-argument': 'off',
    '@typescript-eslint/no-unsafe-assignment': 'off',
    '@typescript-eslint/no-unsafe-call': 'off',
    '@typescript-eslint/no-unsafe-member-access': 'off',
    '@typescript-eslint/no-unsafe-return': 'off',
  },
};

/** A module's one public entry: what other modules may import. */
const files = [{ category: 'module-entry', pattern: 'src/modules/*/index.ts' }];

/** Which folder is which part of the application, for the boundary rules below. */
const elements = [
  { type: 'module', pattern: 'src/modules/*', capture: ['moduleName'] },
  { type: 'server', pattern: 'src/server' },
  { type: 'auth', pattern: 'src/auth' },
  { type: 'shared', pattern: 'src/shared' },
];

/** The application's layering: modules meet only through their index.ts; the server composes modules. */
const boundariesSection = {
  files: ['src/**/*.ts'],
  plugins: { boundaries },
  settings: {
    'boundaries/elements': elements,
    'boundaries/files': files,
    'boundaries/include': ['src/**/*.ts'],
    // `./thing.js` in the sources is `./thing.ts` on disk (NodeNext); packages through node's resolution.
    'import/resolver': { './eslint-rules/ts-source-resolver.cjs': {}, node: {} },
  },
  rules: {
    'boundaries/dependencies': [
      'error',
      {
        default: 'allow',
        policies: [
          {
            from: { element: { type: 'module' } },
            disallow: { to: { element: { type: 'module', captured: { moduleName: '!{{ from.captured.moduleName }}' } } } },
            message: 'Another module is imported only through its index.ts (src/modules/{{ to.captured.moduleName }}/index.ts)',
          },
          // The last policy that matches decides: the entry of another module is allowed.
          {
            from: { element: { type: 'module' } },
            allow: { to: { element: { type: 'module' }, file: { categories: 'module-entry' } } },
          },
          {
            from: { element: { type: 'module' } },
            disallow: { to: { element: { type: 'server' } } },
            message: 'A module does not import src/server: the server composes the modules, not the reverse',
          },
          {
            from: { element: { type: 'shared' } },
            disallow: { to: { element: { types: { anyOf: ['module', 'server', 'auth'] } } } },
            message: 'src/shared imports nothing from src/modules, src/server or src/auth',
          },
        ],
      },
    ],
  },
};

/** Project rules for the application's sources (not the scripts and tests that drive them). */
const sourceSection = {
  files: ['src/**/*.ts'],
  plugins: { local: { rules: { 'no-prisma-outside-repositories': noPrismaOutsideRepositories } } },
  rules: {
    // Prisma statements only in a module's *.repository.ts (the rule itself skips other files).
    'local/no-prisma-outside-repositories': 'error',
    // A function longer than a screen is split into named steps; counted from its first line to its last.
    'max-lines-per-function': ['error', { max: 60, skipBlankLines: false, skipComments: false, IIFEs: true }],
  },
};

/** The environment is read in one place: src/config parses it once into a typed, frozen object. */
const environmentSection = {
  files: ['src/**/*.ts'],
  ignores: ['src/config/**'],
  rules: {
    // Also catches `const { env } = process`.
    'no-restricted-properties': [
      'error',
      {
        object: 'process',
        property: 'env',
        message: 'process.env is read only in src/config: take the value from the parsed configuration',
      },
    ],
    // `import { env } from 'node:process'` is the same object by another road.
    'no-restricted-imports': [
      'error',
      {
        paths: ['node:process', 'process'].map((name) => ({
          name,
          importNames: ['env'],
          message: 'process.env is read only in src/config: take the value from the parsed configuration',
        })),
      },
    ],
  },
};

// For the rules' tests (test/unit/lint-rules.test.ts), which lint fixture trees with these sections as they are.
export { boundariesSection, environmentSection };

export default [
  // Linted only when named: nothing generated or installed is the project's to lint.
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'coverage/', '.data/', 'scratch/'] },
  schemaSection,
  ...typescriptSections,
  answerReadingSection,
  boundariesSection,
  sourceSection,
  environmentSection,
];

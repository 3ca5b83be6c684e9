// local/no-prisma-outside-repositories: inside src/modules, only a `*.repository.ts` file runs Prisma
// statements. A statement is a call of a model delegate's method (`db.customer.findMany(…)`,
// `tx.order.update(…)`) or of the client's raw SQL (`$queryRaw`, `$executeRaw` and their Unsafe and Typed
// forms). The callee's object is recognised by its type, declared in the generated client, not by its name,
// so `const orders = tx.order; orders.update(…)` and a client under any name are caught alike.
// `$transaction` is allowed: a service opens the transaction and hands `tx` to repositories; the statements
// inside it are still the repositories'.
import path from 'node:path';
import { ESLintUtils } from '@typescript-eslint/utils';

const RAW_STATEMENTS = new Set(['$queryRaw', '$executeRaw', '$queryRawUnsafe', '$executeRawUnsafe', '$queryRawTyped']);

/** @param {string} file */
const normalise = (file) => file.split(path.sep).join('/');

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: {
      description: "Prisma statements (model delegates, raw SQL) only in a module's *.repository.ts files",
    },
    schema: [
      {
        type: 'object',
        properties: {
          // Folder of the generated Prisma client, relative to ESLint's working directory.
          client: { type: 'string' },
        },
        additionalProperties: false,
      },
    ],
    messages: {
      delegate: '`{{model}}.{{method}}` is a Prisma statement: only a *.repository.ts file of the module calls Prisma',
      raw: '`{{method}}` runs SQL: only a *.repository.ts file of the module calls Prisma',
    },
  },
  create(context) {
    const filename = normalise(context.filename);
    if (!filename.includes('/src/modules/') || filename.endsWith('.repository.ts')) return {};

    const clientFolder = `${normalise(path.resolve(context.cwd, context.options[0]?.client ?? 'src/generated/prisma'))}/`;
    const services = ESLintUtils.getParserServices(context);
    const checker = services.program.getTypeChecker();

    /** Is this declaration part of the generated client? */
    const isGenerated = (declaration) => normalise(declaration.getSourceFile().fileName).startsWith(clientFolder);

    /** The model delegate this type is (`CustomerDelegate` → `customer`), or undefined. */
    const delegateOf = (type) => {
      for (const part of type.isUnion() ? type.types : [type]) {
        const symbol = part.getSymbol() ?? part.aliasSymbol;
        const name = symbol?.getName() ?? '';
        if (name.endsWith('Delegate') && (symbol.getDeclarations() ?? []).some(isGenerated)) {
          return name.charAt(0).toLowerCase() + name.slice(1, -'Delegate'.length);
        }
      }
      return undefined;
    };

    /** Does this type (the client or a transaction) carry the generated client's raw `method`? */
    const hasGeneratedRaw = (type, method) => {
      const property = checker.getPropertyOfType(checker.getApparentType(type), method);
      return (property?.getDeclarations() ?? []).some(isGenerated);
    };

    const propertyName = (member) => {
      if (!member.computed && member.property.type === 'Identifier') return member.property.name;
      if (member.property.type === 'Literal' && typeof member.property.value === 'string') return member.property.value;
      return undefined;
    };

    /** @param {import('estree').Node} callee @param {import('estree').Node} node */
    const check = (callee, node) => {
      let target = callee;
      while (target.type === 'ChainExpression' || target.type === 'TSNonNullExpression') target = target.expression;
      if (target.type !== 'MemberExpression') return;
      const method = propertyName(target);
      const objectType = services.getTypeAtLocation(target.object);
      if (method !== undefined && RAW_STATEMENTS.has(method)) {
        if (hasGeneratedRaw(objectType, method)) context.report({ node, messageId: 'raw', data: { method } });
        return;
      }
      const model = delegateOf(objectType);
      if (model !== undefined) {
        context.report({ node, messageId: 'delegate', data: { model, method: method ?? '[…]' } });
      }
    };

    return {
      CallExpression: (node) => check(node.callee, node),
      TaggedTemplateExpression: (node) => check(node.tag, node),
    };
  },
};

export default rule;

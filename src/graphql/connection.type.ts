// Relay connection object types and arguments (SPEC §8). Their fields are @public: a connection is only
// reachable through a field that carries its own @auth grant, which decides who sees it (and who may pass
// its arguments).
import { ArgsType, Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Public } from '../auth/directives.js';

@ObjectType({ simpleResolvers: true, description: 'Where this page lies in the whole list, and the cursors to ask for the pages next to it.' })
class PageInfo {
  @Public()
  @Field(() => Boolean, {
    description:
      'True when rows follow this page: ask for them with `first` and `after: endCursor`. On a page read backward (`last`) it is true exactly when you sent `before`.',
  })
  hasNextPage!: boolean;

  @Public()
  @Field(() => Boolean, {
    description:
      'True when rows precede this page: ask for them with `last` and `before: startCursor`. On a page read forward (`first`) it is true exactly when you sent `after`.',
  })
  hasPreviousPage!: boolean;

  @Public()
  @Field(() => String, {
    nullable: true,
    description: 'The cursor of the first edge of this page; null when the page is empty. Pass it as `before` for the previous page.',
  })
  startCursor!: string | null;

  @Public()
  @Field(() => String, {
    nullable: true,
    description: 'The cursor of the last edge of this page; null when the page is empty. Pass it as `after` for the next page.',
  })
  endCursor!: string | null;
}

/** The four Relay arguments every connection field takes; checked and combined by `pageRequest`. */
@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description:
      'How many rows to read from the start of the list, or from just after `after`: 0 to 100, 20 when neither `first` nor `last` is given. Not together with `last`.',
  })
  first?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'An `endCursor` (or edge `cursor`) of this same list: the page starts after that row. Cursors stay valid while rows are added or removed.',
  })
  after?: string | null;

  @Field(() => Int, {
    nullable: true,
    description: 'How many rows to read from the end of the list, or from just before `before`: 0 to 100. Not together with `first`.',
  })
  last?: number | null;

  @Field(() => String, {
    nullable: true,
    description: 'A `startCursor` (or edge `cursor`) of this same list: the page ends before that row. Given alone, the page is the 20 rows just before it.',
  })
  before?: string | null;
}

export function ConnectionType<Node extends object>(name: string, nodeType: ClassType<Node>) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${name} of the page with its cursor.` })
  class Edge {
    @Public()
    @Field(() => String, { description: 'Opaque: pass it as `after` or `before` to read the rows after or before this one.' })
    cursor!: string;

    @Public()
    @Field(() => nodeType, { description: `The ${name} itself.` })
    node!: Node;
  }

  @ObjectType(`${name}Connection`, {
    simpleResolvers: true,
    description: `A page of ${name} rows (Relay connection): read forward with \`first\`/\`after\`, backward with \`last\`/\`before\`.`,
  })
  class Connection {
    @Public()
    @Field(() => Int, { description: 'How many rows the whole list has (all pages, the same filter), not this page.' })
    totalCount!: number;

    @Public()
    @Field(() => PageInfo, { description: 'Whether pages exist before and after this one, and the cursors to reach them.' })
    pageInfo!: PageInfo;

    @Public()
    @Field(() => [Edge], { description: 'The rows of this page in list order, each with its cursor.' })
    edges!: Edge[];
  }

  return Connection;
}

// Relay connection object types (SPEC §8). Their fields are @public: a connection is only reachable through
// a field that carries its own @auth grant, which decides who sees it.
import { Field, Int, ObjectType, type ClassType } from 'type-graphql';
import { Public } from '../../auth/directives.js';

@ObjectType()
export class PageInfo {
  @Public()
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Public()
  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export function ConnectionType<Node extends object>(name: string, nodeType: ClassType<Node>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Public()
    @Field(() => String)
    cursor!: string;

    @Public()
    @Field(() => nodeType)
    node!: Node;
  }

  @ObjectType(`${name}Connection`)
  class Connection {
    @Public()
    @Field(() => Int)
    totalCount!: number;

    @Public()
    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Public()
    @Field(() => [Edge])
    edges!: Edge[];
  }

  return Connection;
}

// Ownership is asked once per record, type, role and request, whichever field asks, and the fields of a
// record the viewer owns are admitted without waiting; refusals and pending answers keep the shield rule's
// errors. Exact counts: a second question per record would be a regression on every 1,000-row list.
import 'reflect-metadata';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { Field, ID, ObjectType, Query, Resolver, buildSchema } from 'type-graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyAuthorization } from '../../src/auth/authorization.js';
import { Auth } from '../../src/auth/directives.js';
import type { Role } from '../../src/auth/roles.js';
import type { Viewer } from '../../src/auth/viewer.js';

// Simple resolvers, as every object type of the schema has them: the guards read the fields themselves.
@ObjectType('Crate', { simpleResolvers: true })
class Crate {
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => ID, { nullable: true })
  id!: string;

  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => String, { nullable: true })
  label!: string;

  @Auth(['ADMIN'])
  @Auth(['CUSTOMER'], { owner: true })
  @Field(() => String, { nullable: true })
  note!: string;

  // A method where the field is: graphql-js's default resolver calls it with the field's arguments.
  @Auth(['ADMIN', 'MARKETING_STAFF'])
  @Auth(['CUSTOMER', 'DELIVERY_BOY'], { owner: true })
  @Field(() => Number, { nullable: true })
  weight!: number | (() => number);

  ownerId!: string;
  pending!: boolean;
}

const crates: Crate[] = Array.from({ length: 6 }, (_, index) =>
  Object.assign(new Crate(), {
    id: `c${index}`,
    label: `crate ${index}`,
    note: `note ${index}`,
    weight: index % 2 === 0 ? index * 10 : () => index * 10,
    ownerId: index < 4 ? 'u1' : 'u2',
    pending: index === 5,
  }),
);

@Resolver()
class CrateResolver {
  @Auth(['ADMIN', 'MARKETING_STAFF', 'CUSTOMER', 'DELIVERY_BOY', 'SUPPLIER'])
  @Query(() => [Crate], { nullable: 'items' })
  crates(): Crate[] {
    return crates;
  }
}

const asked: string[] = [];
const ownership = {
  Crate: (viewer: Viewer, crate: Crate, role: Role) => {
    asked.push(`${crate.id}:${role}`);
    // One crate's answer must be read (a promise), as a route read would be.
    if (crate.pending) return Promise.resolve(crate.ownerId === viewer.userId);
    return crate.ownerId === viewer.userId;
  },
};

const viewer = (roles: Role[]): Viewer => ({ userId: 'u1', sessionId: 's', roles: new Set(roles), customerId: null, deliveryBoyId: null, supplierId: null });
let base: GraphQLSchema;
let schema: GraphQLSchema;

beforeAll(async () => {
  base = await buildSchema({ resolvers: [CrateResolver], validate: false });
  schema = applyAuthorization(base, ownership);
});

async function run(roles: Role[], selection = 'id label note', on = schema) {
  asked.length = 0;
  const result = await execute({ schema: on, document: parse(`{ crates { ${selection} } }`), contextValue: { viewer: viewer(roles), authError: null } });
  return { result, asked: [...asked] };
}

describe('ownership answered once per record', () => {
  it('asks once per record and role for all of its fields, in one request', async () => {
    const { result, asked } = await run(['CUSTOMER']);
    expect(asked).toEqual(['c0:CUSTOMER', 'c1:CUSTOMER', 'c2:CUSTOMER', 'c3:CUSTOMER', 'c4:CUSTOMER', 'c5:CUSTOMER']);
    expect(result.data?.crates).toEqual([
      { id: 'c0', label: 'crate 0', note: 'note 0' },
      { id: 'c1', label: 'crate 1', note: 'note 1' },
      { id: 'c2', label: 'crate 2', note: 'note 2' },
      { id: 'c3', label: 'crate 3', note: 'note 3' },
      { id: null, label: null, note: null },
      { id: null, label: null, note: null },
    ]);
    expect(result.errors?.map((error) => [error.path?.join('.'), error.extensions.code])).toEqual(
      ['4.id', '4.label', '4.note', '5.id', '5.label', '5.note'].map((path) => [`crates.${path}`, 'FORBIDDEN']),
    );
  });

  it('asks again in the next request: answers never outlive their request', async () => {
    expect((await run(['CUSTOMER'], 'id')).asked).toHaveLength(6);
    expect((await run(['CUSTOMER'], 'id')).asked).toHaveLength(6);
  });

  it('asks each role the viewer holds that a grant names, once per record, and only until one says yes', async () => {
    const { result, asked } = await run(['DELIVERY_BOY', 'CUSTOMER'], 'id label');
    expect(asked).toEqual(['c0:CUSTOMER', 'c1:CUSTOMER', 'c2:CUSTOMER', 'c3:CUSTOMER', 'c4:CUSTOMER', 'c4:DELIVERY_BOY', 'c5:CUSTOMER', 'c5:DELIVERY_BOY']);
    expect(result.errors?.map((error) => error.path?.join('.'))).toEqual(['crates.4.id', 'crates.4.label', 'crates.5.id', 'crates.5.label']);
  });

  it('admits by role without asking, and refuses a role no grant names without asking', async () => {
    const staff = await run(['MARKETING_STAFF'], 'id label');
    expect(staff.asked).toEqual([]);
    expect(staff.result.errors).toBeUndefined();
    const supplier = await run(['SUPPLIER'], 'id');
    expect(supplier.asked).toEqual([]);
    expect(supplier.result.errors?.map((error) => error.extensions.code)).toEqual(Array<string>(6).fill('FORBIDDEN'));
  });

  it("admits a record once for the fields that share their grants, and decides another field's grants apart", async () => {
    // id and weight: any owner; note: the customer who owns it only. Interleaved, so an admission of the
    // record for one set of grants is in hand when the other set is asked.
    const { result, asked } = await run(['DELIVERY_BOY'], 'id note weight');
    expect(asked).toEqual(['c0:DELIVERY_BOY', 'c1:DELIVERY_BOY', 'c2:DELIVERY_BOY', 'c3:DELIVERY_BOY', 'c4:DELIVERY_BOY', 'c5:DELIVERY_BOY']);
    expect(result.data?.crates).toEqual([
      { id: 'c0', note: null, weight: 0 },
      { id: 'c1', note: null, weight: 10 },
      { id: 'c2', note: null, weight: 20 },
      { id: 'c3', note: null, weight: 30 },
      { id: null, note: null, weight: null },
      { id: null, note: null, weight: null },
    ]);
    // Refusals come from the shield rule, asynchronously: their order is the order they settle in.
    expect(result.errors?.map((error) => `${error.path?.join('.')} ${String(error.extensions.code)}`).sort()).toEqual(
      ['0.note', '1.note', '2.note', '3.note', '4.id', '4.note', '4.weight', '5.id', '5.note', '5.weight'].map((path) => `crates.${path} FORBIDDEN`),
    );
    const staff = await run(['MARKETING_STAFF'], 'id note label');
    expect(staff.result.data?.crates).toEqual(crates.map((crate) => ({ id: crate.id, note: null, label: crate.label })));
  });

  it('reads a field without a resolver of its own as graphql-js does: a property, or a method called', async () => {
    const unguarded = await run(['ADMIN'], 'id label weight', base);
    expect(unguarded.result.data?.crates).toEqual(crates.map((crate, index) => ({ id: crate.id, label: crate.label, weight: index * 10 })));
    expect((await run(['ADMIN'], 'id label weight')).result).toEqual(unguarded.result);
    const owner = await run(['CUSTOMER'], 'weight');
    expect(owner.result.data?.crates).toEqual([{ weight: 0 }, { weight: 10 }, { weight: 20 }, { weight: 30 }, { weight: null }, { weight: null }]);
  });
});

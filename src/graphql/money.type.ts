import { Field, FieldResolver, Int, ObjectType, Resolver, Root } from 'type-graphql';
import { Public } from '../auth/directives.js';
import { AppError, ErrorCode } from '../shared/errors.js';
import { formatPaise } from '../shared/money.js';

const INT32_MAX = 2_147_483_647;

@ObjectType({ simpleResolvers: true, description: 'An amount of Indian rupees, kept in integer paise.' })
export class Money {
  /** Exact integer paise; may exceed GraphQL's 32-bit Int for large totals (see `paiseDecimal`). */
  paise!: number;

  @Public()
  @Field(() => String, { description: 'Indian grouping, e.g. ₹1,23,456.50' })
  formatted!: string;
}

@Resolver(() => Money)
export class MoneyResolver {
  // GraphQL's Int is 32-bit: totals beyond ₹2.1 crore (a month of revenue at scale) need paiseDecimal.
  @Public()
  @FieldResolver(() => Int, { description: 'The amount in paise, up to ±2,147,483,647 (₹2.1 crore); beyond that select `paiseDecimal`.' })
  paise(@Root() amount: Money): number {
    if (Math.abs(amount.paise) > INT32_MAX) {
      throw new AppError(ErrorCode.BAD_USER_INPUT, 'Money.paise cannot carry an amount beyond ±2,147,483,647 paise: select paiseDecimal', { field: 'paise' });
    }
    return amount.paise;
  }

  @Public()
  @FieldResolver(() => String, { description: 'The exact amount in paise as a decimal string, for any size.' })
  paiseDecimal(@Root() amount: Money): string {
    return String(amount.paise);
  }
}

export function money(paise: number): Money {
  return { paise, formatted: formatPaise(paise) };
}

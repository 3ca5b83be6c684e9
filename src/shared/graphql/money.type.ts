import { Field, Int, ObjectType } from 'type-graphql';
import { Public } from '../../auth/directives.js';
import { formatPaise } from '../money.js';

@ObjectType({ description: 'An amount of Indian rupees, kept in integer paise.' })
export class Money {
  @Public()
  @Field(() => Int)
  paise!: number;

  @Public()
  @Field(() => String, { description: 'Indian grouping, e.g. ₹1,23,456.50' })
  formatted!: string;
}

export function money(paise: number): Money {
  return { paise, formatted: formatPaise(paise) };
}

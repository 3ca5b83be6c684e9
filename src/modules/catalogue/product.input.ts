import { Field, ID, InputType, Int } from 'type-graphql';

@InputType({ description: 'A new product, active from the start.' })
export class CreateProductInput {
  @Field(() => ID, { description: 'The supplier who provides it (Supplier.id); BAD_USER_INPUT when there is none.' }) supplierId!: string;
  @Field(() => String, { description: 'What customers see, 1 to 100 characters.' }) name!: string;
  @Field(() => String, { description: 'What one unit is, e.g. "500 ml pouch"; 1 to 50 characters.' }) unit!: string;
  @Field(() => Int, { description: 'The price of one unit in paise (₹1 = 100), 1 to 1,00,00,000 (₹1,00,000).' }) pricePaise!: number;
}

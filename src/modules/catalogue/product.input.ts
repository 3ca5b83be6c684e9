import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CreateProductInput {
  @Field(() => ID) supplierId!: string;
  @Field(() => String) name!: string;
  @Field(() => String) unit!: string;
  @Field(() => Int) pricePaise!: number;
}

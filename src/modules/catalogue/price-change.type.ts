import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { PriceChangeStatus } from '../../generated/prisma/enums.js';

registerEnumType(PriceChangeStatus, { name: 'PriceChangeStatus' });

@ObjectType({ description: "A supplier's request to change a product's price; it applies only when an admin approves." })
export class PriceChangeRequest {
  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => ID)
  id!: string;

  productId!: string;
  supplierId!: string;
  currentPricePaise!: number;
  requestedPricePaise!: number;
  reviewedById!: string | null;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => PriceChangeStatus)
  status!: PriceChangeStatus;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => String, { nullable: true })
  reason!: string | null;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => String, { nullable: true, description: "The reviewing admin's note" })
  reviewNote!: string | null;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Date)
  createdAt!: Date;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Date, { nullable: true })
  reviewedAt!: Date | null;
}

export { PriceChangeStatus };

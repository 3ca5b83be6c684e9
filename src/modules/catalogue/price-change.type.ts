import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Auth } from '../../auth/directives.js';
import { PriceChangeStatus } from '../../generated/prisma/enums.js';

registerEnumType(PriceChangeStatus, {
  name: 'PriceChangeStatus',
  description: 'Where a price change request stands; only PENDING requests can be reviewed.',
  valuesConfig: {
    PENDING: { description: 'Waiting for an admin; the product keeps its current price.' },
    APPROVED: { description: "An admin approved it: the product's price is now the requested one." },
    REJECTED: { description: 'An admin rejected it: the price did not change.' },
  },
});

@ObjectType({ simpleResolvers: true, description: "A supplier's request to change a product's price; it applies only when an admin approves." })
export class PriceChangeRequest {
  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => ID, { description: "The request's id, for reviewPriceChange." })
  id!: string;

  productId!: string;
  supplierId!: string;
  currentPricePaise!: number;
  requestedPricePaise!: number;
  reviewedById!: string | null;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => PriceChangeStatus, { description: 'PENDING until an admin approves or rejects it.' })
  status!: PriceChangeStatus;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => String, { nullable: true, description: 'Why the supplier asks for the change; null when none was given.' })
  reason!: string | null;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => String, { nullable: true, description: "The reviewing admin's note; null while pending or when none was given." })
  reviewNote!: string | null;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Date, { description: 'When the supplier made the request.' })
  createdAt!: Date;

  @Auth(['ADMIN'])
  @Auth(['SUPPLIER'], { owner: true })
  @Field(() => Date, { nullable: true, description: 'When an admin approved or rejected it; null while pending.' })
  reviewedAt!: Date | null;
}

export { PriceChangeStatus };

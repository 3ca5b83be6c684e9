// Commission is taken on the period's gross, rounded to the nearest paisa (half up), so that
// commission + net is always exactly the gross. BigInt keeps the product exact for any safe gross.
interface EarningsSplit {
  grossPaise: number;
  commissionPaise: number;
  netPaise: number;
}

const BASIS_POINTS = 10_000;

export function splitCommission(grossPaise: number, commissionRateBps: number): EarningsSplit {
  if (!Number.isSafeInteger(grossPaise) || grossPaise < 0) throw new RangeError(`invalid gross: ${grossPaise}`);
  if (!Number.isInteger(commissionRateBps) || commissionRateBps < 0 || commissionRateBps > BASIS_POINTS) {
    throw new RangeError(`invalid commission rate: ${commissionRateBps}`);
  }
  const scaled = BigInt(grossPaise) * BigInt(commissionRateBps);
  const commissionPaise = Number((scaled + BigInt(BASIS_POINTS / 2)) / BigInt(BASIS_POINTS));
  return { grossPaise, commissionPaise, netPaise: grossPaise - commissionPaise };
}

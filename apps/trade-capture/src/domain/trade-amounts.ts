import { Decimal, roundToMinorUnit, toDecimalString, minorUnits } from '@postrade/kernel';
import type { PriceType, TradeSide } from '@postrade/contracts';

export interface TradeAmountInputs {
  side: TradeSide;
  quantity: Decimal;
  price: Decimal;
  priceType: PriceType;
  currency: string;
  commission: Decimal;
  fees: Decimal;
}

export interface TradeAmounts {
  grossAmount: string;
  commission: string;
  fees: string;
  netAmount: string;
}

/**
 * gross = quantity × price (÷ 100 when the price is a percentage of par), rounded half-up to the
 * currency's minor unit; net adds commission and fees for a BUY and subtracts them for a SELL
 * (our book pays them either way). Every amount is printed with exactly the minor-unit decimals.
 */
export function computeTradeAmounts(inputs: TradeAmountInputs): TradeAmounts {
  const exact = inputs.quantity.times(inputs.price);
  const gross = roundToMinorUnit(inputs.priceType === 'PERCENT_OF_PAR' ? exact.dividedBy(100) : exact, inputs.currency);
  const charges = inputs.commission.plus(inputs.fees);
  const net = inputs.side === 'BUY' ? gross.plus(charges) : gross.minus(charges);
  const dp = minorUnits(inputs.currency);
  return {
    grossAmount: toDecimalString(gross, dp),
    commission: toDecimalString(inputs.commission, dp),
    fees: toDecimalString(inputs.fees, dp),
    netAmount: toDecimalString(roundToMinorUnit(net, inputs.currency), dp),
  };
}

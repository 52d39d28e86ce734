import { Decimal, minorUnits, roundToMinorUnit, toDecimalString } from '@postrade/kernel';
import type { PriceType, TradeSide } from '@postrade/contracts';

export interface TradeAmountInputs {
  side: TradeSide;
  quantity: Decimal;
  price: Decimal;
  priceType: PriceType;
  currency: string;
  commission: Decimal;
  fees: Decimal;
  /** Bond accrued interest to the settlement date, already rounded; zero for equities. */
  accruedInterest?: Decimal;
}

export interface TradeAmounts {
  grossAmount: string;
  accruedInterest: string;
  commission: string;
  fees: string;
  netAmount: string;
}

/**
 * gross = quantity × price (÷ 100 when the price is a percentage of par: the clean consideration),
 * rounded half-up to the currency's minor unit; net = gross + accrued interest, plus commission
 * and fees for a BUY and minus them for a SELL (our book pays them either way). Every amount is
 * printed with exactly the minor-unit decimals.
 */
export function computeTradeAmounts(inputs: TradeAmountInputs): TradeAmounts {
  const exact = inputs.quantity.times(inputs.price);
  const gross = roundToMinorUnit(inputs.priceType === 'PERCENT_OF_PAR' ? exact.dividedBy(100) : exact, inputs.currency);
  const accrued = inputs.accruedInterest ?? new Decimal(0);
  const charges = inputs.commission.plus(inputs.fees);
  const dirty = gross.plus(accrued);
  const net = inputs.side === 'BUY' ? dirty.plus(charges) : dirty.minus(charges);
  const dp = minorUnits(inputs.currency);
  return {
    grossAmount: toDecimalString(gross, dp),
    accruedInterest: toDecimalString(accrued, dp),
    commission: toDecimalString(inputs.commission, dp),
    fees: toDecimalString(inputs.fees, dp),
    netAmount: toDecimalString(roundToMinorUnit(net, inputs.currency), dp),
  };
}

import {
  accruedInterest,
  Decimal,
  minorUnits,
  parseDecimal,
  roundToMinorUnit,
  subtractSettlementDays,
  toDecimalString,
  type CouponTerms,
} from '@postrade/kernel';
import { settlementDateOf } from './days';
import type { ScenarioInstrument, TradeTerms } from './scenario';

/** What a trade's terms come to, by DOMAIN.md "Trade capture" (amounts) and the settlement cycle. */
export interface TradeAmounts {
  settlementDate: string;
  grossAmount: string;
  accruedInterest: string;
  netAmount: string;
}

/**
 * gross = quantity × price (÷ 100 for a price in percent of par), half-up to the minor unit; bonds
 * add accrued interest to the settlement date; net = gross + accrued ± (commission + fees), plus
 * for a BUY and minus for a SELL.
 */
export function tradeAmounts(instrument: ScenarioInstrument, terms: TradeTerms): TradeAmounts {
  const market = instrument.settlementMarket;
  const settlementDate = terms.settlementDate ?? settlementDateOf(market, terms.tradeDate, instrument.assetClass, terms.currency);
  const quantity = parseDecimal(terms.quantity, 'quantity');
  const exact = quantity.times(parseDecimal(terms.price, 'price'));
  const gross = roundToMinorUnit(instrument.priceType === 'PERCENT_OF_PAR' ? exact.dividedBy(100) : exact, terms.currency);
  const accrued =
    instrument.coupon === null
      ? new Decimal(0)
      : accruedInterest(instrument.coupon as CouponTerms, quantity, terms.currency, settlementDate, {
          exCouponDate: (couponDate, days) => subtractSettlementDays(market, couponDate, days),
        }).amount;
  const charges = parseDecimal(terms.commission, 'commission').plus(parseDecimal(terms.fees, 'fees'));
  const dirty = gross.plus(accrued);
  const net = terms.side === 'BUY' ? dirty.plus(charges) : dirty.minus(charges);
  const dp = minorUnits(terms.currency);
  return {
    settlementDate,
    grossAmount: toDecimalString(gross, dp),
    accruedInterest: toDecimalString(accrued, dp),
    netAmount: toDecimalString(roundToMinorUnit(net, terms.currency), dp),
  };
}

/** The share of `amount` that `part` of `whole` settles, half-up to the currency's minor unit. */
export function proRata(amount: string, part: string, whole: string, currency: string): string {
  const share = parseDecimal(amount, 'amount').times(parseDecimal(part, 'part')).dividedBy(parseDecimal(whole, 'whole'));
  return toDecimalString(roundToMinorUnit(share, currency), minorUnits(currency));
}

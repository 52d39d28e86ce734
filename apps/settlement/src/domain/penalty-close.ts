import { Decimal, LocalDate, parseDecimal, settlementBusinessDays, settlementCalendar, type SettlementMarket } from '@postrade/kernel';
import { dailyBpsOfAnnualPercent, type CashPenaltyRate } from './penalty';

/**
 * How far back a late-matching penalty reaches: an instruction that matches more than this after
 * its ISD is charged for this many calendar days before the close at most (reference prices are
 * kept for 400 days by default, so older days could not be priced anyway).
 */
export const LATE_MATCHING_LOOKBACK_DAYS = 400;

/** The settlement business days of `market` from the lookback (or the calendar's first year) to `day`. */
export function penaltyDaysUpTo(market: SettlementMarket, day: LocalDate): LocalDate[] {
  const firstCovered = `${settlementCalendar(market).firstYear}-01-01`;
  const lookback = LocalDate.addDays(day, -LATE_MATCHING_LOOKBACK_DAYS);
  const from = LocalDate.isBefore(lookback, firstCovered) ? firstCovered : lookback;
  return LocalDate.isBefore(day, from) ? [] : settlementBusinessDays(market, from, day);
}

/**
 * Cash rates as the set-based close and the fails view take them: the annual percent floored at 0
 * (the amount is value × annual / 36,500), and the daily rate in basis points shown on a penalty.
 */
export function resolvedCashRates(rates: readonly CashPenaltyRate[]): { currency: string; effectiveFrom: string; annualPercent: string; dailyRateBps: string }[] {
  return rates.map((r) => {
    const annual = Decimal.max(parseDecimal(r.annualPercent, 'annualPercent'), 0).toFixed();
    return { currency: r.currency, effectiveFrom: r.effectiveFrom, annualPercent: annual, dailyRateBps: dailyBpsOfAnnualPercent(r.annualPercent).toFixed() };
  });
}

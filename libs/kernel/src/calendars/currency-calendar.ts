import { DomainError } from '../errors';
import { LocalDate } from './local-date';
import { isSettlementBusinessDay, settlementClosureReason, type SettlementMarket } from './settlement-calendar';

/** The market whose settlement calendar is a currency's own: cash in that currency moves only when it is open. */
export const CURRENCY_HOME_MARKETS: Readonly<Record<string, SettlementMarket>> = Object.freeze({
  USD: 'US',
  EUR: 'EU',
  GBP: 'UK',
  CHF: 'CH',
  JPY: 'JP',
});

/** The home market of a currency, or null for a currency without a calendar here (only the market's calendar applies). */
export function homeMarketOf(currency: string | undefined): SettlementMarket | null {
  return currency !== undefined ? (CURRENCY_HOME_MARKETS[currency] ?? null) : null;
}

/**
 * A settlement business day of a trade: open in the market's settlement calendar and, when the
 * trade currency is not the market's home currency, in that currency's calendar too (a USD bond
 * settling in the EU does not settle on US Independence Day).
 */
export function isSettlementDay(market: SettlementMarket, currency: string | undefined, date: LocalDate, field = 'date'): boolean {
  const open = (m: SettlementMarket) => {
    try {
      return isSettlementBusinessDay(m, date);
    } catch (error) {
      if (error instanceof DomainError && error.errors[0]?.field === 'date') throw DomainError.invalid(field, error.errors[0].message);
      throw error;
    }
  };
  if (!open(market)) return false;
  const home = homeMarketOf(currency);
  return home === null || home === market || open(home);
}

/** Why the currency's own calendar is closed on a date ("USD: Independence Day"). */
export function currencyClosureReason(currency: string, date: LocalDate): string {
  const home = homeMarketOf(currency);
  return home === null ? 'closed' : `${currency}: ${settlementClosureReason(home, date) ?? 'open'}`;
}

/**
 * The n-th settlement business day (market and currency) after `date`, counting from the day
 * after; n = 0 is `date` itself when it is one, otherwise the next.
 */
export function addSettlementDays(market: SettlementMarket, currency: string | undefined, date: LocalDate, n: number, field = 'date'): LocalDate {
  if (!Number.isInteger(n) || n < 0) throw DomainError.invalid('days', 'must be a whole number of days, zero or more');
  LocalDate.parse(date, field);
  let current = date;
  if (n === 0) {
    while (!isSettlementDay(market, currency, current, field)) current = LocalDate.addDays(current, 1);
    return current;
  }
  for (let counted = 0; counted < n; ) {
    current = LocalDate.addDays(current, 1);
    if (isSettlementDay(market, currency, current, field)) counted++;
  }
  return current;
}

/** The n-th settlement business day of the market before `date` (for ex-coupon dates). */
export function subtractSettlementDays(market: SettlementMarket, date: LocalDate, n: number): LocalDate {
  let current = date;
  for (let counted = 0; counted < n; ) {
    current = LocalDate.addDays(current, -1);
    if (isSettlementBusinessDay(market, current)) counted++;
  }
  return current;
}

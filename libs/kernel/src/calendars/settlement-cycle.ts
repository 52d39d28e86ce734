import { DomainError } from '../errors';
import { LocalDate } from './local-date';
import { addSettlementBusinessDays, isSettlementBusinessDay, SettlementMarket, settlementClosureReason } from './settlement-calendar';

export interface SettlementCycle {
  readonly days: number;
  readonly label: `T+${number}`;
}

/**
 * Standard settlement cycle per market, by trade date. Each entry applies to trades from its
 * date until the next entry of the same market; a new cycle is a new row.
 */
export const SETTLEMENT_CYCLES: readonly { market: SettlementMarket; effectiveFrom: LocalDate; days: number; source: string }[] = [
  { market: 'US', effectiveFrom: '0001-01-01', days: 2, source: 'SEC Rule 15c6-1 (T+2 since 2017-09-05)' },
  { market: 'US', effectiveFrom: '2024-05-28', days: 1, source: 'SEC Rule 15c6-1 amendment, T+1 from 2024-05-28' },
  { market: 'EU', effectiveFrom: '0001-01-01', days: 2, source: 'CSDR Art. 5(2)' },
  { market: 'EU', effectiveFrom: '2027-10-11', days: 1, source: 'CSDR amendment, T+1 from 2027-10-11' },
  { market: 'UK', effectiveFrom: '0001-01-01', days: 2, source: 'UK CSDR' },
  { market: 'UK', effectiveFrom: '2027-10-11', days: 1, source: 'UK Accelerated Settlement Taskforce, T+1 from 2027-10-11' },
  { market: 'CH', effectiveFrom: '0001-01-01', days: 2, source: 'SIX' },
  { market: 'CH', effectiveFrom: '2027-10-11', days: 1, source: 'Swiss T+1 alignment with the EU and UK, from 2027-10-11' },
  { market: 'JP', effectiveFrom: '0001-01-01', days: 2, source: 'JPX / JASDEC (T+2 since 2019-07-16)' },
];

export function settlementCycleFor(market: SettlementMarket, tradeDate: LocalDate): SettlementCycle {
  LocalDate.parse(tradeDate, 'tradeDate');
  const current = SETTLEMENT_CYCLES.filter((c) => c.market === market && !LocalDate.isAfter(c.effectiveFrom, tradeDate)).at(-1);
  if (current === undefined) {
    throw DomainError.invalid('settlementMarket', `no settlement cycle is known for "${String(market)}" on ${tradeDate}`);
  }
  return { days: current.days, label: `T+${current.days}` };
}

/** Trade date plus the market's cycle in settlement business days, counted from the day after. */
export function intendedSettlementDate(market: SettlementMarket, tradeDate: LocalDate): LocalDate {
  return addSettlementBusinessDays(market, tradeDate, settlementCycleFor(market, tradeDate).days, 'tradeDate');
}

/** A given settlement date must be a settlement business day on or after the trade date. */
export function validateSettlementDate(market: SettlementMarket, tradeDate: LocalDate, settlementDate: LocalDate): void {
  LocalDate.parse(tradeDate, 'tradeDate');
  LocalDate.parse(settlementDate, 'settlementDate');
  if (LocalDate.isBefore(settlementDate, tradeDate)) {
    throw DomainError.invalid('settlementDate', `${settlementDate} is before the trade date ${tradeDate}`);
  }
  let businessDay: boolean;
  try {
    businessDay = isSettlementBusinessDay(market, settlementDate);
  } catch (error) {
    if (error instanceof DomainError && error.errors[0]?.field === 'date') {
      throw DomainError.invalid('settlementDate', error.errors[0].message);
    }
    throw error;
  }
  if (!businessDay) {
    throw DomainError.invalid(
      'settlementDate',
      `${settlementDate} is not a ${market} settlement business day (${settlementClosureReason(market, settlementDate)})`,
    );
  }
}

import { DomainError } from '../errors';
import { LocalDate } from './local-date';
import { settlementClosureReason, SettlementMarket } from './settlement-calendar';
import { addSettlementDays, currencyClosureReason, isSettlementDay } from './currency-calendar';

export interface SettlementCycle {
  readonly days: number;
  readonly label: `T+${number}`;
}

/** The asset classes a settlement cycle can depend on (the instrument's asset class). */
export const CYCLE_ASSET_CLASSES = ['EQUITY', 'ETF', 'GOVT_BOND', 'CORP_BOND'] as const;
export type CycleAssetClass = (typeof CYCLE_ASSET_CLASSES)[number];

export interface SettlementCycleRule {
  readonly market: SettlementMarket;
  readonly assetClasses: readonly CycleAssetClass[];
  readonly effectiveFrom: LocalDate;
  readonly days: number;
  readonly source: string;
}

const ALL: readonly CycleAssetClass[] = CYCLE_ASSET_CLASSES;
const NOT_GOVT: readonly CycleAssetClass[] = ['EQUITY', 'ETF', 'CORP_BOND'];

/**
 * Standard settlement cycle per market and asset class, by trade date. Each row applies to trades
 * of its asset classes from its date until the next row for the same market and asset class; a new
 * cycle is a new row, never an edit of an old one (trades already booked keep theirs).
 */
export const SETTLEMENT_CYCLES: readonly SettlementCycleRule[] = [
  { market: 'US', assetClasses: NOT_GOVT, effectiveFrom: '0001-01-01', days: 2, source: 'SEC Rule 15c6-1 (T+2 since 2017-09-05)' },
  { market: 'US', assetClasses: NOT_GOVT, effectiveFrom: '2024-05-28', days: 1, source: 'SEC Rule 15c6-1 amendment (Release 34-96930), T+1 from 2024-05-28' },
  { market: 'US', assetClasses: ['GOVT_BOND'], effectiveFrom: '0001-01-01', days: 1, source: 'US Treasuries settle regular way T+1 (SIFMA practice; exempt from 15c6-1)' },
  { market: 'EU', assetClasses: ALL, effectiveFrom: '0001-01-01', days: 2, source: 'CSDR Art. 5(2)' },
  { market: 'EU', assetClasses: ALL, effectiveFrom: '2027-10-11', days: 1, source: 'CSDR amendment (Regulation (EU) 2025/2075), T+1 from 2027-10-11' },
  { market: 'UK', assetClasses: NOT_GOVT, effectiveFrom: '0001-01-01', days: 2, source: 'UK CSDR' },
  { market: 'UK', assetClasses: NOT_GOVT, effectiveFrom: '2027-10-11', days: 1, source: 'UK Accelerated Settlement Taskforce, T+1 from 2027-10-11' },
  { market: 'UK', assetClasses: ['GOVT_BOND'], effectiveFrom: '0001-01-01', days: 1, source: 'Gilts settle T+1 (UK DMO, gilt market convention)' },
  { market: 'CH', assetClasses: ALL, effectiveFrom: '0001-01-01', days: 2, source: 'SIX' },
  { market: 'CH', assetClasses: ALL, effectiveFrom: '2027-10-11', days: 1, source: 'Swiss T+1 alignment with the EU and UK, from 2027-10-11' },
  { market: 'JP', assetClasses: NOT_GOVT, effectiveFrom: '0001-01-01', days: 2, source: 'JPX / JASDEC (T+2 since 2019-07-16)' },
  { market: 'JP', assetClasses: ['GOVT_BOND'], effectiveFrom: '0001-01-01', days: 1, source: 'JGBs settle T+1 (JSDA, since 2018-05-01)' },
];

/** The standard cycle of a market and asset class for a trade date (EQUITY when the asset class is not given). */
export function settlementCycleFor(market: SettlementMarket, tradeDate: LocalDate, assetClass: CycleAssetClass = 'EQUITY'): SettlementCycle {
  LocalDate.parse(tradeDate, 'tradeDate');
  const current = SETTLEMENT_CYCLES.filter(
    (c) => c.market === market && c.assetClasses.includes(assetClass) && !LocalDate.isAfter(c.effectiveFrom, tradeDate),
  ).at(-1);
  if (current === undefined) {
    throw DomainError.invalid('settlementMarket', `no settlement cycle is known for "${String(market)}" ${String(assetClass)} on ${tradeDate}`);
  }
  return cycleOf(current.days);
}

function cycleOf(days: number): SettlementCycle {
  return { days, label: `T+${days}` };
}

/** What decides a trade's settlement days: its market, the instrument's asset class and the trade currency. */
export interface SettlementContext {
  assetClass?: CycleAssetClass;
  /** When not the market's home currency, its calendar must be open too. */
  currency?: string;
}

/**
 * Trade date plus the cycle in settlement business days, counted from the day after the trade
 * date; a settlement business day is open in the market's calendar and the currency's.
 */
export function intendedSettlementDate(market: SettlementMarket, tradeDate: LocalDate, context: SettlementContext = {}): LocalDate {
  const cycle = settlementCycleFor(market, tradeDate, context.assetClass);
  return addSettlementDays(market, context.currency, tradeDate, cycle.days, 'tradeDate');
}

/**
 * The cycle a given settlement date amounts to: the number of settlement business days after the
 * trade date up to it (`T+0` on the trade date itself). The date must be valid for the trade.
 */
export function actualSettlementCycle(market: SettlementMarket, tradeDate: LocalDate, settlementDate: LocalDate, currency?: string): SettlementCycle {
  validateSettlementDate(market, tradeDate, settlementDate, currency);
  let days = 0;
  for (let day = LocalDate.addDays(tradeDate, 1); !LocalDate.isAfter(day, settlementDate); day = LocalDate.addDays(day, 1)) {
    if (isSettlementDay(market, currency, day, 'settlementDate')) days++;
  }
  return cycleOf(days);
}

/** A given settlement date must be a settlement business day (market and currency) on or after the trade date. */
export function validateSettlementDate(market: SettlementMarket, tradeDate: LocalDate, settlementDate: LocalDate, currency?: string): void {
  LocalDate.parse(tradeDate, 'tradeDate');
  LocalDate.parse(settlementDate, 'settlementDate');
  if (LocalDate.isBefore(settlementDate, tradeDate)) {
    throw DomainError.invalid('settlementDate', `${settlementDate} is before the trade date ${tradeDate}`);
  }
  if (!isSettlementDay(market, currency, settlementDate, 'settlementDate')) {
    const marketReason = settlementClosureReason(market, settlementDate);
    const reason = marketReason !== null ? `${market}: ${marketReason}` : currencyClosureReason(currency!, settlementDate);
    throw DomainError.invalid('settlementDate', `${settlementDate} is not a settlement business day for ${market}${currency ? ` in ${currency}` : ''} (${reason})`);
  }
}

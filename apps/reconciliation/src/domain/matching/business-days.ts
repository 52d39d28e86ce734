import { DomainError, isSettlementBusinessDay, LocalDate, type SettlementMarket } from '@postrade/kernel';

/**
 * Settlement business days of the market after `from` up to and including `to`; 0 when `to` is
 * not after `from`. Stops counting at `stopAt` (the caller only needs to know it is more).
 */
function businessDaysAfter(market: SettlementMarket, from: LocalDate, to: LocalDate, stopAt = Infinity): number {
  let count = 0;
  for (let day = LocalDate.addDays(from, 1); count < stopAt && !LocalDate.isAfter(day, to); day = LocalDate.addDays(day, 1)) {
    if (isSettlementBusinessDay(market, day)) count++;
  }
  return count;
}

/**
 * How old a break is, in settlement business days of the account's market: the business days
 * after it was first seen up to and including `asOf`. 0 on the day it was first seen; a break
 * first seen on a Friday is 1 on Monday; holidays do not age it. A late statement for a date
 * before the break was first seen does not make it negative: 0.
 */
export function ageInBusinessDays(market: SettlementMarket, firstSeen: LocalDate, asOf: LocalDate): number {
  LocalDate.parse(firstSeen, 'firstSeen');
  LocalDate.parse(asOf, 'asOf');
  return businessDaysAfter(market, firstSeen, asOf);
}

export const AGE_BUCKETS = ['0', '1-2', '3-5', '6+'] as const;
export type AgeBucket = (typeof AGE_BUCKETS)[number];

/** The ageing report's columns. */
export function ageBucket(days: number): AgeBucket {
  if (!Number.isInteger(days) || days < 0) throw DomainError.invalid('days', 'must be a whole number of business days, zero or more');
  if (days === 0) return '0';
  if (days <= 2) return '1-2';
  return days <= 5 ? '3-5' : '6+';
}

/**
 * Whether two settlement dates lie within N settlement business days of the market: the later is
 * at most N business days after the earlier (N = 0: the same date). A statement holds few distinct
 * dates, so each pair is walked through the calendar once and remembered.
 */
export class SettlementDateWindow {
  private readonly known = new Map<string, boolean>();

  constructor(
    readonly market: SettlementMarket,
    readonly businessDays: number,
  ) {}

  contains(a: LocalDate, b: LocalDate): boolean {
    if (a === b) return true;
    if (this.businessDays === 0) return false;
    const [earlier, later] = a < b ? [a, b] : [b, a];
    const pair = `${earlier}|${later}`;
    let within = this.known.get(pair);
    if (within === undefined) {
      within = businessDaysAfter(this.market, earlier, later, this.businessDays + 1) <= this.businessDays;
      this.known.set(pair, within);
    }
    return within;
  }
}

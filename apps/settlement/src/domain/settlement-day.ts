import { isSettlementBusinessDay, LocalDate, marketToday, SETTLEMENT_MARKETS, type SettlementMarket } from '@postrade/kernel';

/** Markets where settlement day `day` has begun at `now`: `day` is not after the market's own today. */
export function marketsThatReached(day: LocalDate, now: Date): SettlementMarket[] {
  return SETTLEMENT_MARKETS.filter((market) => !LocalDate.isAfter(day, marketToday(market, now)));
}

/**
 * The markets a close of settlement day `day` at `now` covers: those where `day` is a settlement
 * business day and has begun in the market's own time zone. "Today" is each market's, never UTC's:
 * at 23:30 UTC Tokyo is already on tomorrow, and at 01:00 UTC New York is still on yesterday.
 */
export function marketsClosing(day: LocalDate, now: Date): SettlementMarket[] {
  return marketsThatReached(day, now).filter((market) => isSettlementBusinessDay(market, day));
}

import { addSettlementDays, intendedSettlementDate, isSettlementBusinessDay, LocalDate, type CycleAssetClass, type SettlementMarket } from '@postrade/kernel';

/** The markets the simulator trades in, with their home currency. */
export const SIMULATED_MARKETS = ['US', 'EU', 'UK', 'JP'] as const satisfies readonly SettlementMarket[];
export type SimulatedMarket = (typeof SIMULATED_MARKETS)[number];
export const HOME_CURRENCY: Readonly<Record<SimulatedMarket, string>> = { US: 'USD', EU: 'EUR', UK: 'GBP', JP: 'JPY' };
const ASSET_CLASSES: readonly CycleAssetClass[] = ['EQUITY', 'GOVT_BOND', 'CORP_BOND'];

/** The simulated calendar: the trade days, and every weekday from the first of them to the last settlement day. */
export interface SimulationCalendar {
  tradeDays: string[];
  /** Weekdays processed in order (custodian reports, then the day's close): first trade day … lastDay. */
  processingDays: string[];
  lastDay: string;
}

/** A day open for settlement in every simulated market: the trade days are such days. */
function openEverywhere(date: string): boolean {
  return SIMULATED_MARKETS.every((market) => isSettlementBusinessDay(market, date));
}

/** The settlement day after a trade's intended settlement date: when a fail or a partial settles the rest. */
export function nextSettlementDay(market: SimulatedMarket, currency: string, isd: string): string {
  return addSettlementDays(market, currency, isd, 1);
}

export function settlementDateOf(market: SimulatedMarket, tradeDate: string, assetClass: CycleAssetClass, currency: string): string {
  return intendedSettlementDate(market, tradeDate, { assetClass, currency });
}

/** The latest day any trade of `tradeDay` can still act on: the day after its intended settlement date. */
function latestActionDay(tradeDay: string): string {
  let latest = tradeDay;
  for (const market of SIMULATED_MARKETS) {
    for (const assetClass of ASSET_CLASSES) {
      const isd = settlementDateOf(market, tradeDay, assetClass, HOME_CURRENCY[market]);
      const next = nextSettlementDay(market, HOME_CURRENCY[market], isd);
      if (LocalDate.isAfter(next, latest)) latest = next;
    }
  }
  return latest;
}

/**
 * Recent past business days to trade on: `days` consecutive days open in every simulated market,
 * the last of them as late as it can be while every trade's settlement, and the day after it
 * (a fail settling late, the rest of a partial), is no later than `today`: a future day cannot be
 * closed and a future trade date is refused.
 */
export function simulationCalendar(days: number, today: string): SimulationCalendar {
  if (!Number.isInteger(days) || days < 1) throw new Error('--days must be a whole number, at least 1');
  let lastTradeDay = LocalDate.addDays(today, -1);
  for (let guard = 0; ; guard++) {
    if (guard > 60) throw new Error(`no trade day found before ${today}`);
    if (openEverywhere(lastTradeDay) && !LocalDate.isAfter(latestActionDay(lastTradeDay), today)) break;
    lastTradeDay = LocalDate.addDays(lastTradeDay, -1);
  }
  const tradeDays = [lastTradeDay];
  for (let day = LocalDate.addDays(lastTradeDay, -1); tradeDays.length < days; day = LocalDate.addDays(day, -1)) {
    if (openEverywhere(day)) tradeDays.unshift(day);
  }
  const lastDay = latestActionDay(lastTradeDay);
  const processingDays: string[] = [];
  for (let day = tradeDays[0]; !LocalDate.isAfter(day, lastDay); day = LocalDate.addDays(day, 1)) {
    if (!LocalDate.isWeekend(day)) processingDays.push(day);
  }
  return { tradeDays, processingDays, lastDay };
}

import { LocalDate } from './local-date';
import { SETTLEMENT_MARKETS, type SettlementMarket } from './settlement-calendar';

/** Each market's own time zone (IANA): where "today" is judged for a trade date. */
export const MARKET_TIME_ZONES: Readonly<Record<SettlementMarket, string>> = Object.freeze({
  US: 'America/New_York',
  EU: 'Europe/Berlin',
  UK: 'Europe/London',
  CH: 'Europe/Zurich',
  JP: 'Asia/Tokyo',
});

const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * The one business today: the date in the market's own time zone at `now` (a Tokyo trade at 08:30
 * JST is on Tokyo's date; at 01:00 UTC New York is still on yesterday). Every service judges
 * "today" for a trade, an instruction, a settlement day or a break by its market, never by UTC.
 */
export function marketToday(market: SettlementMarket, now: Date = new Date()): LocalDate {
  const zone = MARKET_TIME_ZONES[market];
  let format = formatters.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    formatters.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(now).map((p) => [p.type, p.value]));
  return LocalDate.of(Number(parts.year), Number(parts.month), Number(parts.day));
}

/**
 * The date every market has reached at `now`: the earliest of their business todays (New York's
 * most of the day). What a process acting for all markets at once (a simulated custodian) may
 * report as done without dating anything after some market's today.
 */
export function everyMarketToday(now: Date = new Date()): LocalDate {
  return SETTLEMENT_MARKETS.map((market) => marketToday(market, now)).reduce((earliest, day) => (LocalDate.isAfter(earliest, day) ? day : earliest));
}

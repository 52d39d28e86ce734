import { LocalDate } from './local-date';
import type { SettlementMarket } from './settlement-calendar';

/** Each market's own time zone (IANA): where "today" is judged for a trade date. */
export const MARKET_TIME_ZONES: Readonly<Record<SettlementMarket, string>> = Object.freeze({
  US: 'America/New_York',
  EU: 'Europe/Berlin',
  UK: 'Europe/London',
  CH: 'Europe/Zurich',
  JP: 'Asia/Tokyo',
});

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Today's date in the market's own time zone at `now`: a Tokyo trade at 08:30 JST is on Tokyo's date. */
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

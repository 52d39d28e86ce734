import { DomainError } from '../errors';
import { LocalDate } from './local-date';
import chCalendar from './data/ch.json';
import euCalendar from './data/eu.json';
import jpCalendar from './data/jp.json';
import ukCalendar from './data/uk.json';
import usCalendar from './data/us.json';

export const SETTLEMENT_MARKETS = ['US', 'EU', 'UK', 'CH', 'JP'] as const;
export type SettlementMarket = (typeof SETTLEMENT_MARKETS)[number];

export interface SettlementClosure {
  readonly date: LocalDate;
  readonly name: string;
}

/**
 * One market's settlement calendar as published in calendars/data/<market>.json: the weekday
 * closures of the years firstYear…lastYear. Weekends are never settlement days and are not listed.
 */
export interface SettlementCalendar {
  readonly market: SettlementMarket;
  readonly source: string;
  readonly description: string;
  readonly firstYear: number;
  readonly lastYear: number;
  readonly closures: readonly SettlementClosure[];
}

interface LoadedCalendar extends SettlementCalendar {
  readonly closureNames: ReadonlyMap<LocalDate, string>;
}

/**
 * Checks the content of a calendars/data file. The files are edited by hand (one-off closures,
 * new years), so they are checked when the module loads rather than trusted: a typo must stop the
 * process at start-up, not shift a settlement date in production.
 */
export function parseSettlementCalendar(market: SettlementMarket, file: unknown): SettlementCalendar {
  const { closureNames: _closureNames, ...calendar } = load(market, file);
  return calendar;
}

function load(market: SettlementMarket, file: unknown): LoadedCalendar {
  const fail = (problem: string): never => {
    throw new Error(`calendars/data/${market.toLowerCase()}.json: ${problem}`);
  };
  const data = file as Partial<SettlementCalendar> | null;
  if (data?.market !== market) fail(`market must be "${market}"`);
  if (typeof data?.source !== 'string' || data.source === '') fail('source must name where the closures come from');
  const { firstYear, lastYear } = data as SettlementCalendar;
  if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || firstYear > lastYear) fail('firstYear..lastYear must be a range of years');
  if (!Array.isArray(data?.closures)) fail('closures must be a list');
  const closureNames = new Map<LocalDate, string>();
  for (const closure of (data as SettlementCalendar).closures) {
    if (!LocalDate.isValid(closure?.date)) fail(`closure date ${JSON.stringify(closure?.date)} is not YYYY-MM-DD`);
    if (typeof closure.name !== 'string' || closure.name === '') fail(`closure ${closure.date} has no name`);
    const year = LocalDate.year(closure.date);
    if (year < firstYear || year > lastYear) fail(`closure ${closure.date} is outside ${firstYear}-${lastYear}`);
    if (closureNames.has(closure.date)) fail(`closure ${closure.date} is listed twice`);
    closureNames.set(closure.date, closure.name);
  }
  return { ...(data as SettlementCalendar), closureNames };
}

const CALENDARS: Readonly<Record<SettlementMarket, LoadedCalendar>> = {
  US: load('US', usCalendar),
  EU: load('EU', euCalendar),
  UK: load('UK', ukCalendar),
  CH: load('CH', chCalendar),
  JP: load('JP', jpCalendar),
};

export function isSettlementMarket(value: unknown): value is SettlementMarket {
  return typeof value === 'string' && (SETTLEMENT_MARKETS as readonly string[]).includes(value);
}

function calendarOf(market: SettlementMarket): LoadedCalendar {
  if (!isSettlementMarket(market)) {
    throw DomainError.invalid('settlementMarket', `"${String(market)}" is not one of ${SETTLEMENT_MARKETS.join(', ')}`);
  }
  return CALENDARS[market];
}

function coveredDate(calendar: LoadedCalendar, date: LocalDate, field: string): LocalDate {
  LocalDate.parse(date, field);
  const year = LocalDate.year(date);
  if (year < calendar.firstYear || year > calendar.lastYear) {
    throw DomainError.invalid(
      field,
      `${date} is outside the ${calendar.market} settlement calendar, which covers ${calendar.firstYear}-${calendar.lastYear}`,
    );
  }
  return date;
}

function isBusinessDay(calendar: LoadedCalendar, date: LocalDate, field: string): boolean {
  coveredDate(calendar, date, field);
  return !LocalDate.isWeekend(date) && !calendar.closureNames.has(date);
}

export function settlementCalendar(market: SettlementMarket): SettlementCalendar {
  const { closureNames: _closureNames, ...calendar } = calendarOf(market);
  return calendar;
}

export function isSettlementBusinessDay(market: SettlementMarket, date: LocalDate): boolean {
  return isBusinessDay(calendarOf(market), date, 'date');
}

/** Why a date is not a settlement business day ("Saturday", "Good Friday"), or null when it is one. */
export function settlementClosureReason(market: SettlementMarket, date: LocalDate): string | null {
  const calendar = calendarOf(market);
  if (isBusinessDay(calendar, date, 'date')) return null;
  return calendar.closureNames.get(date) ?? (LocalDate.dayOfWeek(date) === 0 ? 'Sunday' : 'Saturday');
}

/** The first settlement business day strictly after `date`. */
export function nextSettlementBusinessDay(market: SettlementMarket, date: LocalDate): LocalDate {
  return addSettlementBusinessDays(market, date, 1);
}

/**
 * The n-th settlement business day after `date`, counting from the day after: a Saturday trade
 * at T+1 settles on the next business day. n = 0 is `date` itself when it is a business day,
 * otherwise the next one.
 */
export function addSettlementBusinessDays(market: SettlementMarket, date: LocalDate, n: number, field = 'date'): LocalDate {
  const calendar = calendarOf(market);
  if (!Number.isInteger(n) || n < 0) throw DomainError.invalid('days', 'must be a whole number of days, zero or more');
  coveredDate(calendar, date, field);
  let current = date;
  if (n === 0) {
    while (!isBusinessDay(calendar, current, field)) current = LocalDate.addDays(current, 1);
    return current;
  }
  for (let counted = 0; counted < n; ) {
    current = LocalDate.addDays(current, 1);
    if (isBusinessDay(calendar, current, field)) counted++;
  }
  return current;
}

/** Every settlement business day from `from` to `to`, both included. */
export function settlementBusinessDays(market: SettlementMarket, from: LocalDate, to: LocalDate): LocalDate[] {
  const calendar = calendarOf(market);
  coveredDate(calendar, from, 'from');
  coveredDate(calendar, to, 'to');
  if (LocalDate.isBefore(to, from)) throw DomainError.invalid('to', `must be on or after from (${from})`);
  const days: LocalDate[] = [];
  for (let day = from; !LocalDate.isAfter(day, to); day = LocalDate.addDays(day, 1)) {
    if (isBusinessDay(calendar, day, 'from')) days.push(day);
  }
  return days;
}

import { DomainError } from '../errors';

/**
 * A calendar date without a time or a zone, written 'YYYY-MM-DD'. Trade and settlement dates are
 * plain strings in this form everywhere (JSON, database, events); these helpers do the arithmetic
 * in UTC so that no local timezone or daylight-saving change can move a date.
 */
export type LocalDate = string;

const FORMAT = /^(\d{4})-(\d{2})-(\d{2})$/;
const MS_PER_DAY = 86_400_000;

export type DayOfWeek = 0 | 1 | 2 | 3 | 4 | 5 | 6;

function toUtcMillis(date: LocalDate): number | null {
  const match = FORMAT.exec(date);
  if (match === null) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC maps years 0–99 to 1900–1999.
  utc.setUTCFullYear(year, month - 1, day);
  if (utc.getUTCFullYear() !== year || utc.getUTCMonth() !== month - 1 || utc.getUTCDate() !== day) return null;
  return utc.getTime();
}

function fromUtcMillis(millis: number): LocalDate {
  const utc = new Date(millis);
  const year = utc.getUTCFullYear();
  if (year < 0 || year > 9999) throw DomainError.invalid('date', 'is outside the years 0000–9999');
  return `${String(year).padStart(4, '0')}-${String(utc.getUTCMonth() + 1).padStart(2, '0')}-${String(utc.getUTCDate()).padStart(2, '0')}`;
}

function millis(date: LocalDate, field = 'date'): number {
  const value = typeof date === 'string' ? toUtcMillis(date) : null;
  if (value === null) throw DomainError.invalid(field, `"${String(date)}" is not a date in the form YYYY-MM-DD`);
  return value;
}

export const LocalDate = {
  /** True for a real calendar date in strict 'YYYY-MM-DD' form ('2025-02-29' and '2025-2-1' are not). */
  isValid(value: unknown): value is LocalDate {
    return typeof value === 'string' && toUtcMillis(value) !== null;
  },

  parse(value: unknown, field = 'date'): LocalDate {
    millis(value as string, field);
    return value as LocalDate;
  },

  /** Negative when a is earlier, zero when equal, positive when later. */
  compare(a: LocalDate, b: LocalDate): number {
    return Math.sign(millis(a) - millis(b));
  },

  isBefore(a: LocalDate, b: LocalDate): boolean {
    return LocalDate.compare(a, b) < 0;
  },

  isAfter(a: LocalDate, b: LocalDate): boolean {
    return LocalDate.compare(a, b) > 0;
  },

  addDays(date: LocalDate, days: number): LocalDate {
    if (!Number.isInteger(days)) throw DomainError.invalid('days', 'must be a whole number of days');
    return fromUtcMillis(millis(date) + days * MS_PER_DAY);
  },

  /** Whole days from `from` to `to`: positive when `to` is later. */
  daysBetween(from: LocalDate, to: LocalDate): number {
    return Math.round((millis(to) - millis(from)) / MS_PER_DAY);
  },

  /** 0 = Sunday … 6 = Saturday, as Date#getUTCDay. */
  dayOfWeek(date: LocalDate): DayOfWeek {
    return new Date(millis(date)).getUTCDay() as DayOfWeek;
  },

  isWeekend(date: LocalDate): boolean {
    const day = LocalDate.dayOfWeek(date);
    return day === 0 || day === 6;
  },

  year(date: LocalDate): number {
    millis(date);
    return Number(date.slice(0, 4));
  },

  of(year: number, month: number, day: number): LocalDate {
    const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
    return LocalDate.parse(date);
  },

  /**
   * Today's date in UTC. Not a business date: a market's "today" (trade dates, settlement days,
   * fails, breaks) is `marketToday(market, now)`. Only for defaults with no market to go by.
   */
  todayUtc(now: Date = new Date()): LocalDate {
    return fromUtcMillis(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  },
} as const;

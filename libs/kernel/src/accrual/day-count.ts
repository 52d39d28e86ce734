import { LocalDate } from '../calendars/local-date';

/** The day counts a bond's coupon terms may name (DOMAIN.md). */
export const DAY_COUNTS = ['ACT_ACT_ICMA', 'THIRTY_360', 'THIRTY_E_360', 'ACT_360', 'ACT_365F'] as const;
export type DayCount = (typeof DAY_COUNTS)[number];

function parts(date: LocalDate): [number, number, number] {
  LocalDate.parse(date);
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/**
 * Days from `from` to `to` on a 30-day-month basis.
 * - THIRTY_360, "30/360, 360/360, Bond Basis" (2006 ISDA Definitions §4.16(f)): D1 = 31 becomes
 *   30; D2 = 31 becomes 30 only when D1 is (then) 30.
 * - THIRTY_E_360, "30E/360, Eurobond Basis" (§4.16(g)): any 31st becomes the 30th.
 */
export function thirtyDays(dayCount: 'THIRTY_360' | 'THIRTY_E_360', from: LocalDate, to: LocalDate): number {
  const [y1, m1, day1] = parts(from);
  const [y2, m2, day2] = parts(to);
  const d1 = Math.min(day1, 30);
  const d2 = dayCount === 'THIRTY_E_360' ? Math.min(day2, 30) : day2 === 31 && d1 === 30 ? 30 : day2;
  return 360 * (y2 - y1) + 30 * (m2 - m1) + (d2 - d1);
}

/** Days from `from` to `to` as the day count counts them: actual days, or 30-day months. */
export function dayCountDays(dayCount: DayCount, from: LocalDate, to: LocalDate): number {
  return dayCount === 'THIRTY_360' || dayCount === 'THIRTY_E_360' ? thirtyDays(dayCount, from, to) : LocalDate.daysBetween(from, to);
}

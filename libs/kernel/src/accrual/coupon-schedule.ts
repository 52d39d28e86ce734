import { LocalDate } from '../calendars/local-date';
import type { DayCount } from './day-count';

/** Coupons a year: 1, 2, 4 or 12; 0 for a zero coupon. */
export const COUPON_FREQUENCIES = [0, 1, 2, 4, 12] as const;
export type CouponFrequency = (typeof COUPON_FREQUENCIES)[number];

/** A bond's coupon terms (DOMAIN.md "Identifiers and reference data"). Rates are percent a year, as decimal strings. */
export interface CouponTerms {
  couponRate: string;
  couponFrequency: CouponFrequency;
  dayCount: DayCount;
  issueDate: LocalDate;
  /** Only when the first period is irregular (longer or shorter than the others). */
  firstCouponDate?: LocalDate | null;
  maturityDate: LocalDate;
  /** Business days before a coupon date from which a buyer no longer receives that coupon (UK gilts: 7). */
  exCouponDays?: number | null;
}

function lastDayOfMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * `date` moved back by whole months, unadjusted. When the anchor is the last day of its month,
 * every rolled date is too (end-of-month rule: a bond maturing 30 April pays on 31 October);
 * otherwise the anchor's day, clamped to the month's length (31 August → 28/29 February).
 */
export function rollBackMonths(anchor: LocalDate, months: number): LocalDate {
  const [year, month, day] = [Number(anchor.slice(0, 4)), Number(anchor.slice(5, 7)), Number(anchor.slice(8, 10))];
  const endOfMonth = day === lastDayOfMonth(year, month);
  const index = year * 12 + (month - 1) - months;
  const [y, m] = [Math.floor(index / 12), (index % 12) + 1];
  const last = lastDayOfMonth(y, m);
  return LocalDate.of(y, m, endOfMonth ? last : Math.min(day, last));
}

/**
 * The coupon dates of a bond in ascending order, the last one the maturity date: rolled back from
 * maturity by the frequency (unadjusted) down to the first coupon date, or down to the first date
 * after the issue date when no first coupon date is given. Empty for a zero coupon.
 */
export function couponDates(terms: CouponTerms): LocalDate[] {
  if (terms.couponFrequency === 0) return [];
  const months = 12 / terms.couponFrequency;
  const floor = terms.firstCouponDate ?? null;
  const dates: LocalDate[] = [];
  for (let k = 0; ; k++) {
    const date = rollBackMonths(terms.maturityDate, k * months);
    if (floor !== null ? !LocalDate.isAfter(date, floor) : !LocalDate.isAfter(date, terms.issueDate)) break;
    dates.push(date);
  }
  if (floor !== null) dates.push(floor);
  return dates.reverse();
}

/** Checks that the terms describe a bond: rate and frequency agree, dates are in order. */
export function couponTermsErrors(terms: CouponTerms): { field: string; message: string }[] {
  const errors: { field: string; message: string }[] = [];
  const zeroRate = /^0+(\.0+)?$/.test(terms.couponRate);
  if (!(COUPON_FREQUENCIES as readonly number[]).includes(terms.couponFrequency)) {
    errors.push({ field: 'couponFrequency', message: 'must be 1, 2, 4 or 12 coupons a year, or 0 for a zero coupon' });
  } else if ((terms.couponFrequency === 0) !== zeroRate) {
    errors.push({ field: 'couponFrequency', message: 'must be 0 exactly when the coupon rate is 0 (a zero coupon)' });
  }
  if (!LocalDate.isValid(terms.issueDate)) errors.push({ field: 'issueDate', message: 'must be a date as YYYY-MM-DD' });
  if (!LocalDate.isValid(terms.maturityDate)) errors.push({ field: 'maturityDate', message: 'must be a date as YYYY-MM-DD' });
  else if (LocalDate.isValid(terms.issueDate) && !LocalDate.isAfter(terms.maturityDate, terms.issueDate)) {
    errors.push({ field: 'maturityDate', message: `must be after the issue date ${terms.issueDate}` });
  }
  const first = terms.firstCouponDate;
  if (first !== undefined && first !== null) {
    if (!LocalDate.isValid(first)) errors.push({ field: 'firstCouponDate', message: 'must be a date as YYYY-MM-DD' });
    else if (LocalDate.isValid(terms.issueDate) && LocalDate.isValid(terms.maturityDate)
      && (!LocalDate.isAfter(first, terms.issueDate) || LocalDate.isAfter(first, terms.maturityDate))) {
      errors.push({ field: 'firstCouponDate', message: 'must be after the issue date and no later than the maturity date' });
    } else if (terms.couponFrequency === 0) {
      errors.push({ field: 'firstCouponDate', message: 'a zero coupon bond has no coupon dates' });
    }
  }
  const ex = terms.exCouponDays;
  if (ex !== undefined && ex !== null && (!Number.isInteger(ex) || ex < 0 || ex > 30)) {
    errors.push({ field: 'exCouponDays', message: 'must be a whole number of business days from 0 to 30' });
  }
  return errors;
}

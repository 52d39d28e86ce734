import { Decimal, parseDecimal } from '../decimal';
import { DomainError } from '../errors';
import { roundToMinorUnit } from '../money';
import { LocalDate } from '../calendars/local-date';
import { couponDates, rollBackMonths, type CouponTerms } from './coupon-schedule';
import { dayCountDays } from './day-count';

export interface AccruedInterest {
  /** Rounded half-up to the currency's minor unit; negative inside an ex-coupon period. */
  amount: Decimal;
  /** Days accrued as the day count counts them; negative inside an ex-coupon period. */
  days: number;
  /** The coupon period the settlement date falls in. */
  periodStart: LocalDate;
  periodEnd: LocalDate;
}

/** Where a settlement date stands in the bond's schedule. */
export interface AccrualContext {
  /**
   * The ex-coupon date of a coupon: `exCouponDays` business days before it in the market's
   * calendar. Needed only when the terms have ex-coupon days.
   */
  exCouponDate?: (couponDate: LocalDate, businessDays: number) => LocalDate;
}

/**
 * ACT/ACT ICMA (ICMA Rule 251): the fraction of [from, to) over the regular (quasi-)coupon periods
 * that end at `periodEnd` and roll back by the frequency: each day counts 1 / (frequency × days
 * of its quasi-period). One term for a regular period; several for a long first period; a short
 * first period uses the notional full period that contains it.
 */
function icmaFraction(terms: CouponTerms, periodEnd: LocalDate, from: LocalDate, to: LocalDate): Decimal {
  const months = 12 / terms.couponFrequency;
  let fraction = new Decimal(0);
  for (let k = 0; ; k++) {
    const quasiEnd = rollBackMonths(periodEnd, k * months);
    const quasiStart = rollBackMonths(periodEnd, (k + 1) * months);
    if (!LocalDate.isAfter(quasiEnd, from)) break;
    const overlapStart = LocalDate.isAfter(from, quasiStart) ? from : quasiStart;
    const overlapEnd = LocalDate.isBefore(to, quasiEnd) ? to : quasiEnd;
    const days = LocalDate.daysBetween(overlapStart, overlapEnd);
    if (days > 0) fraction = fraction.plus(new Decimal(days).dividedBy(terms.couponFrequency * LocalDate.daysBetween(quasiStart, quasiEnd)));
  }
  return fraction;
}

/** The year fraction of [from, to) in the coupon period ending `periodEnd`, under the bond's day count. */
function accrualFraction(terms: CouponTerms, periodEnd: LocalDate, from: LocalDate, to: LocalDate): Decimal {
  switch (terms.dayCount) {
    case 'ACT_ACT_ICMA':
      return icmaFraction(terms, periodEnd, from, to);
    case 'ACT_360':
      return new Decimal(LocalDate.daysBetween(from, to)).dividedBy(360);
    case 'ACT_365F':
      return new Decimal(LocalDate.daysBetween(from, to)).dividedBy(365);
    case 'THIRTY_360':
    case 'THIRTY_E_360':
      return new Decimal(dayCountDays(terms.dayCount, from, to)).dividedBy(360);
  }
}

/**
 * Accrued interest a buyer pays the seller for a bond settling on `settlementDate`:
 * nominal × couponRate / 100 × the accrual fraction from the last coupon date on or before the
 * settlement date (the issue date in the first period) to the settlement date, rounded half-up to
 * the currency's minor unit. From the ex-coupon date on, the buyer will not receive the coming
 * coupon, so the accrual runs from the settlement date to that coupon and is negative.
 * A zero coupon accrues nothing.
 */
export function accruedInterest(
  terms: CouponTerms,
  nominal: Decimal,
  currency: string,
  settlementDate: LocalDate,
  context: AccrualContext = {},
): AccruedInterest {
  LocalDate.parse(settlementDate, 'settlementDate');
  if (LocalDate.isBefore(settlementDate, terms.issueDate)) {
    throw DomainError.invalid('settlementDate', `${settlementDate} is before the bond's issue date ${terms.issueDate}`);
  }
  if (!LocalDate.isBefore(settlementDate, terms.maturityDate)) {
    throw DomainError.invalid('settlementDate', `${settlementDate} is not before the bond's maturity date ${terms.maturityDate}`);
  }
  const rate = parseDecimal(terms.couponRate, 'couponRate');
  const dates = couponDates(terms);
  if (terms.couponFrequency === 0 || rate.isZero() || dates.length === 0) {
    return { amount: roundToMinorUnit(new Decimal(0), currency), days: 0, periodStart: terms.issueDate, periodEnd: terms.maturityDate };
  }
  const nextIndex = dates.findIndex((date) => LocalDate.isAfter(date, settlementDate));
  const periodEnd = dates[nextIndex]!;
  const periodStart = nextIndex === 0 ? terms.issueDate : dates[nextIndex - 1]!;
  const perUnit = nominal.times(rate).dividedBy(100);

  const exDays = terms.exCouponDays ?? 0;
  if (exDays > 0) {
    if (context.exCouponDate === undefined) throw new Error('accruedInterest: terms with ex-coupon days need an exCouponDate rule');
    const exDate = context.exCouponDate(periodEnd, exDays);
    if (!LocalDate.isBefore(settlementDate, exDate)) {
      const fraction = accrualFraction(terms, periodEnd, settlementDate, periodEnd);
      return {
        amount: roundToMinorUnit(perUnit.times(fraction).negated(), currency),
        days: -dayCountDays(terms.dayCount, settlementDate, periodEnd),
        periodStart,
        periodEnd,
      };
    }
  }
  const fraction = accrualFraction(terms, periodEnd, periodStart, settlementDate);
  return {
    amount: roundToMinorUnit(perUnit.times(fraction), currency),
    days: dayCountDays(terms.dayCount, periodStart, settlementDate),
    periodStart,
    periodEnd,
  };
}

/** The year fraction of a period, exposed for checking the day counts against published examples. */
export function yearFraction(terms: CouponTerms, from: LocalDate, to: LocalDate, periodEnd: LocalDate = to): Decimal {
  return accrualFraction(terms, periodEnd, from, to);
}

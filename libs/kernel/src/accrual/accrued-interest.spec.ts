import { Decimal } from '../decimal';
import { subtractSettlementDays } from '../calendars/currency-calendar';
import { accruedInterest, yearFraction } from './accrued-interest';
import { couponDates, type CouponTerms } from './coupon-schedule';
import { thirtyDays, type DayCount } from './day-count';

const bond = (overrides: Partial<CouponTerms>): CouponTerms => ({
  couponRate: '5',
  couponFrequency: 2,
  dayCount: 'ACT_ACT_ICMA',
  issueDate: '2000-01-15',
  maturityDate: '2030-01-15',
  ...overrides,
});

const fraction = (terms: CouponTerms, from: string, to: string) => yearFraction(terms, from, to).toDecimalPlaces(12).toNumber();

describe('ACT/ACT ICMA against the ISDA memo "EMU and Market Conventions: Recent Developments" (1998), Actual/Actual section', () => {
  // Source: ISDA, "EMU and Market Conventions: Recent Developments" (mktc1198), examples (a)-(c) of
  // the Actual/Actual comparison, ISMA column; the same figures are in QuantLib's test-suite
  // daycounters.cpp (testActualActual), from which the 12-decimal values are taken.
  it('gives exactly half a year for a regular semi-annual period 2003-11-01 to 2004-05-01 (ISMA 0.500000000000)', () => {
    expect(fraction(bond({ issueDate: '2001-05-01', maturityDate: '2010-05-01' }), '2003-11-01', '2004-05-01')).toBe(0.5);
  });

  it('gives 150/365 for the short first annual period 1999-02-01 to 1999-07-01 (ISMA 0.410958904110)', () => {
    const terms = bond({ couponFrequency: 1, issueDate: '1999-02-01', firstCouponDate: '1999-07-01', maturityDate: '2005-07-01' });
    expect(couponDates(terms)[0]).toBe('1999-07-01');
    expect(fraction(terms, '1999-02-01', '1999-07-01')).toBe(0.41095890411);
  });

  it('sums the quasi-periods of the long first semi-annual period 2002-08-15 to 2003-07-15 (ISMA 0.915760869565)', () => {
    const terms = bond({ issueDate: '2002-08-15', firstCouponDate: '2003-07-15', maturityDate: '2010-01-15' });
    expect(fraction(terms, '2002-08-15', '2003-07-15')).toBe(0.915760869565);
  });
});

describe('30/360 and 30E/360 against ISDA "30/360 Day Count Conventions" (2008), the end-of-February table', () => {
  // Source: ISDA, "30/360 Day Count Conventions" (isda.org, 2008), example table "The end dates
  // include some end-February dates" for 30/360 (Bond Basis) and 30E/360 (Eurobond Basis).
  it.each<[DayCount, string, string, number, number]>([
    ['THIRTY_360', '2006-02-28', '2006-08-31', 183, 0.508333333333],
    ['THIRTY_360', '2006-08-31', '2007-02-28', 178, 0.494444444444],
    ['THIRTY_360', '2007-02-28', '2007-08-31', 183, 0.508333333333],
    ['THIRTY_360', '2006-08-20', '2007-02-20', 180, 0.5],
    ['THIRTY_E_360', '2006-02-28', '2006-08-31', 182, 0.505555555556],
    ['THIRTY_E_360', '2006-08-31', '2007-02-28', 178, 0.494444444444],
    ['THIRTY_E_360', '2007-08-31', '2008-02-29', 179, 0.497222222222],
  ])('%s from %s to %s is %i days, %d of a year', (dayCount, from, to, days, expected) => {
    expect(thirtyDays(dayCount as 'THIRTY_360' | 'THIRTY_E_360', from, to)).toBe(days);
    expect(fraction(bond({ dayCount }), from, to)).toBe(expected);
  });

  it('keeps the 31st in Bond Basis when the period starts before the 30th, and drops it in 30E/360', () => {
    expect(thirtyDays('THIRTY_360', '2006-01-15', '2006-01-31')).toBe(16);
    expect(thirtyDays('THIRTY_E_360', '2006-01-15', '2006-01-31')).toBe(15);
  });
});

describe('ACT/360 and ACT/365F against the same ISDA 2008 example periods', () => {
  // Source: the ISDA 2008 example periods above with actual days (2006 ISDA Definitions §4.16(d), (e)).
  it.each<[DayCount, string, string, number]>([
    ['ACT_360', '2006-08-20', '2007-02-20', 0.511111111111],
    ['ACT_360', '2007-08-31', '2008-02-29', 0.505555555556],
    ['ACT_365F', '2006-08-20', '2007-02-20', 0.504109589041],
    ['ACT_365F', '2008-02-20', '2008-08-20', 0.498630136986],
  ])('%s from %s to %s is %d of a year', (dayCount, from, to, expected) => {
    expect(fraction(bond({ dayCount }), from, to)).toBe(expected);
  });
});

describe('accrued interest of a bond trade', () => {
  const ukBusinessDaysBefore = (date: string, n: number) => subtractSettlementDays('UK', date, n);

  // A gilt-like bond: 4.125% paid 22 January and 22 July, ACT/ACT ICMA, ex-dividend 7 business
  // days before each coupon. Formula: UK DMO, "Formulae for Calculating Gilt Prices from Yields"
  // (3rd edition, 2005), section on accrued interest: c/2 × days/days-in-period, and in the
  // ex-dividend period −c/2 × (days from settlement to the next coupon)/days-in-period.
  const gilt = bond({ couponRate: '4.125', issueDate: '2019-01-22', maturityDate: '2029-07-22', exCouponDays: 7 });
  const nominal = new Decimal('1000000');

  it('accrues 169 of 181 days of the half-year coupon the business day before the ex-dividend date', () => {
    // 2026-07-22 is a Wednesday; 7 UK business days before it is Monday 2026-07-13.
    const result = accruedInterest(gilt, nominal, 'GBP', '2026-07-10', { exCouponDate: ukBusinessDaysBefore });
    expect(result).toMatchObject({ days: 169, periodStart: '2026-01-22', periodEnd: '2026-07-22' });
    expect(result.amount.toFixed(2)).toBe('19257.60');
  });

  it('is negative inside the ex-dividend period: 7 days short of the 22 July coupon', () => {
    const result = accruedInterest(gilt, nominal, 'GBP', '2026-07-15', { exCouponDate: ukBusinessDaysBefore });
    expect(result.days).toBe(-7);
    expect(result.amount.toFixed(2)).toBe('-797.65');
    expect(accruedInterest(gilt, nominal, 'GBP', '2026-07-13', { exCouponDate: ukBusinessDaysBefore }).amount.isNegative()).toBe(true);
  });

  it('starts the first, irregular period at the issue date', () => {
    const terms = bond({ couponFrequency: 1, couponRate: '6', issueDate: '1999-02-01', firstCouponDate: '1999-07-01', maturityDate: '2005-07-01' });
    const result = accruedInterest(terms, new Decimal('100000'), 'EUR', '1999-04-01');
    // 59 days of the notional year 1998-07-01..1999-07-01 (365 days): 100000 × 6% × 59/365 = 969.863…
    expect(result).toMatchObject({ days: 59, periodStart: '1999-02-01', periodEnd: '1999-07-01' });
    expect(result.amount.toFixed(2)).toBe('969.86');
  });

  it('accrues nothing on a zero coupon bond', () => {
    const zero = bond({ couponRate: '0', couponFrequency: 0, dayCount: 'ACT_365F' });
    const result = accruedInterest(zero, nominal, 'USD', '2026-03-02');
    expect(result.amount.toFixed(2)).toBe('0.00');
    expect(result.days).toBe(0);
  });

  it('keeps month-end coupon dates of a bond maturing on the last day of a month (31 October, 30 April)', () => {
    // A US Treasury note maturing 2029-04-30 pays on 30 April and 31 October (end-of-month rule).
    const note = bond({ couponRate: '4.625', issueDate: '2024-04-30', maturityDate: '2029-04-30' });
    const result = accruedInterest(note, nominal, 'USD', '2025-12-15');
    expect(result).toMatchObject({ periodStart: '2025-10-31', periodEnd: '2026-04-30', days: 45 });
    // 1,000,000 × 4.625% / 2 × 45/181 = 5749.309…
    expect(result.amount.toFixed(2)).toBe('5749.31');
  });

  it('accrues on a 30/360 corporate bond by 30-day months', () => {
    const corporate = bond({ dayCount: 'THIRTY_360', couponRate: '6', issueDate: '2020-03-31', maturityDate: '2030-03-31' });
    const result = accruedInterest(corporate, nominal, 'USD', '2026-05-15');
    // From 2026-03-31 (D1 → 30) to 2026-05-15: 45 days; 1,000,000 × 6% × 45/360 = 7500.00
    expect(result).toMatchObject({ days: 45, periodStart: '2026-03-31' });
    expect(result.amount.toFixed(2)).toBe('7500.00');
  });

  it('rounds half-up to the currency minor unit (JPY whole yen)', () => {
    const jgb = bond({ couponRate: '0.1', issueDate: '2020-03-20', maturityDate: '2030-03-20' });
    // 10,000,000 × 0.1% / 2 × 1/181 (2025-09-20..2026-03-20 is 181 days) = 27.62… → 28 yen
    expect(accruedInterest(jgb, new Decimal('10000000'), 'JPY', '2025-09-21').amount.toFixed()).toBe('28');
  });

  it('refuses a settlement date before issue or on or after maturity, naming settlementDate', () => {
    expect(() => accruedInterest(gilt, nominal, 'GBP', '2019-01-21', { exCouponDate: ukBusinessDaysBefore })).toThrow(/settlementDate/);
    expect(() => accruedInterest(gilt, nominal, 'GBP', '2029-07-22', { exCouponDate: ukBusinessDaysBefore })).toThrow(/settlementDate/);
  });
});

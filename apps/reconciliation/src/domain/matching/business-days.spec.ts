import { DomainError } from '@postrade/kernel';
import { ageBucket, ageInBusinessDays, SettlementDateWindow } from './business-days';

describe('the age of a break in business days of its market', () => {
  it('is 0 on the day it was first seen', () => {
    expect(ageInBusinessDays('EU', '2026-11-24', '2026-11-24')).toBe(0);
  });

  it('is 1 on Monday for a break first seen on Friday: the weekend does not age it', () => {
    expect(ageInBusinessDays('US', '2026-11-20', '2026-11-23')).toBe(1);
    expect(ageInBusinessDays('US', '2026-11-21', '2026-11-23')).toBe(1);
    expect(ageInBusinessDays('US', '2026-11-20', '2026-11-22')).toBe(0);
  });

  it("skips the market's own holidays: Thanksgiving in the US, not in the EU", () => {
    expect(ageInBusinessDays('US', '2026-11-25', '2026-11-27')).toBe(1);
    expect(ageInBusinessDays('US', '2026-11-25', '2026-11-30')).toBe(2);
    expect(ageInBusinessDays('EU', '2026-11-25', '2026-11-27')).toBe(2);
  });

  it('skips Christmas (TARGET2) and the weekend after it, and Boxing Day where the market closes for it', () => {
    expect(ageInBusinessDays('EU', '2026-12-24', '2026-12-28')).toBe(1);
    expect(ageInBusinessDays('UK', '2026-12-24', '2026-12-28')).toBe(0);
    expect(ageInBusinessDays('UK', '2026-12-24', '2026-12-29')).toBe(1);
  });

  it('counts across the year end and New Year', () => {
    expect(ageInBusinessDays('EU', '2026-12-31', '2027-01-04')).toBe(1);
    expect(ageInBusinessDays('EU', '2026-12-18', '2027-01-04')).toBe(9);
  });

  it('is 0, not negative, when a late statement is for a date before the break was first seen', () => {
    expect(ageInBusinessDays('EU', '2026-11-24', '2026-11-20')).toBe(0);
  });

  it('refuses a date that is not one', () => {
    expect(() => ageInBusinessDays('EU', '2026-02-30', '2026-03-02')).toThrow(DomainError);
  });
});

describe('the ageing bucket', () => {
  it.each([
    [0, '0'],
    [1, '1-2'],
    [2, '1-2'],
    [3, '3-5'],
    [5, '3-5'],
    [6, '6+'],
    [250, '6+'],
  ])('puts %i business days in %s', (days, bucket) => {
    expect(ageBucket(days)).toBe(bucket);
  });

  it('refuses a negative or fractional age', () => {
    expect(() => ageBucket(-1)).toThrow(DomainError);
    expect(() => ageBucket(1.5)).toThrow(DomainError);
  });
});

describe('a settlement date window', () => {
  it('of 0 business days demands the same date', () => {
    const window = new SettlementDateWindow('EU', 0);
    expect(window.contains('2026-11-24', '2026-11-24')).toBe(true);
    expect(window.contains('2026-11-20', '2026-11-21')).toBe(false);
  });

  it('of 1 business day spans Christmas and a weekend in the EU, in either order, and not a day more', () => {
    const window = new SettlementDateWindow('EU', 1);
    expect(window.contains('2026-12-24', '2026-12-28')).toBe(true);
    expect(window.contains('2026-12-28', '2026-12-24')).toBe(true);
    expect(window.contains('2026-12-24', '2026-12-29')).toBe(false);
    expect(window.contains('2026-12-29', '2026-12-24')).toBe(false);
  });

  it('of 1 business day spans Thanksgiving in the US but not in the EU', () => {
    expect(new SettlementDateWindow('US', 1).contains('2026-11-25', '2026-11-27')).toBe(true);
    expect(new SettlementDateWindow('EU', 1).contains('2026-11-25', '2026-11-27')).toBe(false);
    expect(new SettlementDateWindow('US', 1).contains('2026-11-25', '2026-11-30')).toBe(false);
    expect(new SettlementDateWindow('US', 2).contains('2026-11-25', '2026-11-30')).toBe(true);
  });

  it('answers a pair it has seen the same way again', () => {
    const window = new SettlementDateWindow('US', 1);
    expect([1, 2, 3].map(() => window.contains('2026-11-25', '2026-11-30'))).toEqual([false, false, false]);
    expect([1, 2, 3].map(() => window.contains('2026-11-30', '2026-11-27'))).toEqual([true, true, true]);
  });
});

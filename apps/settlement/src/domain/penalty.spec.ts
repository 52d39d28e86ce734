import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSDR_CATEGORIES, type CsdrCategory } from '@postrade/contracts';
import { Decimal, toDecimalString } from '@postrade/kernel';
import {
  DEFAULT_CASH_PENALTY_RATES,
  DEFAULT_PENALTY_RATES,
  dailyBpsOfAnnualPercent,
  dailyRateBps,
  failAge,
  failingDays,
  penaltyAmount,
  penaltyDirection,
  type PenaltyRate,
} from './penalty';

const FIXTURES = join(__dirname, '../../test/fixtures/csdr');
const defaults: PenaltyRate[] = CSDR_CATEGORIES.map((category) => ({ category, effectiveFrom: '2022-02-01', rateBps: DEFAULT_PENALTY_RATES[category] }));
const equity = (rateBps: string) => ({ failedQuantity: '1000', referencePrice: '100.00', priceType: 'UNIT' as const, rateBps: new Decimal(rateBps), currency: 'EUR' });

describe('CSDR penalty rates', () => {
  it('default to the Annex of Delegated Regulation 2017/389, category by category', () => {
    const annex = readFileSync(join(FIXTURES, 'penalty_rates_2017_389_annex.csv'), 'utf8');
    const bpsOf = (key: string) => new Decimal(annex.split('\n').find((line) => line.includes(`,${key},`))!.split(',').at(-2)!);
    const keyOf: Record<CsdrCategory, string> = {
      LIQUID_SHARE: 'SHARES_LIQUID',
      ILLIQUID_SHARE: 'SHARES_ILLIQUID',
      SME_SHARE: 'SME_GROWTH_MARKET_NON_DEBT',
      SOVEREIGN_DEBT: 'SOVEREIGN_AND_PUBLIC_DEBT',
      OTHER_DEBT: 'OTHER_DEBT',
      SME_DEBT: 'SME_GROWTH_MARKET_DEBT',
      OTHER: 'OTHER_INSTRUMENTS',
    };
    for (const category of CSDR_CATEGORIES) expect(new Decimal(DEFAULT_PENALTY_RATES[category]).equals(bpsOf(keyOf[category]))).toBe(true);
  });

  it('use the ECB marginal lending rate from the snapshot for EUR cash fails', () => {
    const snapshot = readFileSync(join(FIXTURES, 'ecb_key_interest_rates_snapshot.csv'), 'utf8');
    for (const rate of DEFAULT_CASH_PENALTY_RATES) expect(snapshot).toContain(`${rate.effectiveFrom},`);
    expect(snapshot.split('\n')[1]).toBe('2024-10-23,3.25,3.40,3.65,');
    expect(DEFAULT_CASH_PENALTY_RATES.at(-1)).toEqual({ currency: 'EUR', effectiveFrom: '2024-10-23', annualPercent: '3.65' });
  });
});

describe('a day’s cash penalty', () => {
  // 1,000 shares at 100.00 = 100,000.00 EUR of value.
  it.each<[CsdrCategory, string]>([
    ['LIQUID_SHARE', '10.00'],
    ['ILLIQUID_SHARE', '5.00'],
    ['SME_SHARE', '2.50'],
    ['SOVEREIGN_DEBT', '1.00'],
    ['OTHER_DEBT', '2.00'],
    ['SME_DEBT', '1.50'],
    ['OTHER', '5.00'],
  ])('is value × %s’s daily rate: %s EUR on 100,000 EUR', (category, expected) => {
    const rate = dailyRateBps('2026-11-25', { category, reasonCode: 'LACK', currency: 'EUR' }, defaults, DEFAULT_CASH_PENALTY_RATES);
    expect(penaltyAmount(equity(rate.toString())).toFixed(2)).toBe(expected);
  });

  it('values a PERCENT_OF_PAR bond at nominal × price / 100', () => {
    // 2,500,000 nominal at 98.765 % = 2,469,125.00; × 0.10 bp = 24.69125 → 24.69
    const amount = penaltyAmount({ failedQuantity: '2500000', referencePrice: '98.765', priceType: 'PERCENT_OF_PAR', rateBps: new Decimal('0.10'), currency: 'EUR' });
    expect(toDecimalString(amount, 2)).toBe('24.69');
  });

  it('rounds half-up to the currency’s minor unit (JPY has none)', () => {
    const at = (failedQuantity: string, referencePrice: string, rateBps: string, currency = 'EUR') =>
      penaltyAmount({ failedQuantity, referencePrice, priceType: 'UNIT', rateBps: new Decimal(rateBps), currency }).toFixed();
    expect(at('50', '1.00', '1.0')).toBe('0.01'); // 0.005 → 0.01
    expect(at('49', '1.00', '1.0')).toBe('0'); // 0.0049 → 0.00
    expect(at('3', '1234.5', '0.5', 'JPY')).toBe('0'); // 0.185175 → 0 JPY
    expect(at('1000000', '1', '0.5', 'JPY')).toBe('50');
  });

  it('charges a fail for lack of cash at the overnight credit rate / 365, floored at zero', () => {
    const rate = dailyRateBps('2026-11-25', { category: 'LIQUID_SHARE', reasonCode: 'CMON', currency: 'EUR' }, defaults, DEFAULT_CASH_PENALTY_RATES);
    expect(rate.toFixed()).toBe('1'); // 3.65 % / 365 = 0.01 % a day = 1 bp
    expect(dailyBpsOfAnnualPercent('-0.25').isZero()).toBe(true);
    expect(() => dailyRateBps('2026-11-25', { category: 'LIQUID_SHARE', reasonCode: 'MONY', currency: 'USD' }, defaults, DEFAULT_CASH_PENALTY_RATES)).toThrow(/USD/);
  });

  it('is paid by the failing party and received from a failing counterparty', () => {
    expect(penaltyDirection('US')).toBe('PAY');
    expect(penaltyDirection('COUNTERPARTY')).toBe('RECEIVE');
  });
});

describe('failing days', () => {
  it('count settlement business days only: not the weekend, not a TARGET2 holiday', () => {
    // ISD Thursday 2027-03-25; Good Friday 26 March and Easter Monday 29 March are TARGET2 closing days.
    expect(failingDays('EU', '2027-03-25', '2027-03-30')).toEqual(['2027-03-25', '2027-03-30']);
    expect(failAge('EU', '2027-03-25', '2027-03-30')).toBe(2);
    // ISD Friday 2026-11-27 across a weekend.
    expect(failingDays('EU', '2026-11-27', '2026-11-30')).toEqual(['2026-11-27', '2026-11-30']);
    expect(failingDays('EU', '2026-11-27', '2026-11-26')).toEqual([]);
  });

  it('are charged at the rate in force on each day across a rate change', () => {
    const rates: PenaltyRate[] = [...defaults, { category: 'LIQUID_SHARE', effectiveFrom: '2026-11-30', rateBps: '1.5' }];
    const amounts = failingDays('EU', '2026-11-26', '2026-12-01').map((day) => {
      const rate = dailyRateBps(day, { category: 'LIQUID_SHARE', reasonCode: 'CLAC', currency: 'EUR' }, rates, DEFAULT_CASH_PENALTY_RATES);
      return [day, penaltyAmount(equity(rate.toString())).toFixed(2)];
    });
    expect(amounts).toEqual([
      ['2026-11-26', '10.00'],
      ['2026-11-27', '10.00'],
      ['2026-11-30', '15.00'],
      ['2026-12-01', '15.00'],
    ]);
  });
});

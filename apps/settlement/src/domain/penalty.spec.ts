import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CSDR_CATEGORIES, type CsdrCategory } from '@postrade/contracts';
import { Decimal, toDecimalString } from '@postrade/kernel';
import {
  ageBucket,
  assessFailDay,
  DEFAULT_CASH_PENALTY_RATES,
  DEFAULT_PENALTY_RATES,
  dailyBpsOfAnnualPercent,
  dailyRateBps,
  failAge,
  failingDays,
  lateMatchingDays,
  lateMatchingParty,
  penaltyAmount,
  penaltyDirection,
  type FailDayState,
  type PenaltyRate,
} from './penalty';
import { CASH_PENALTY_RATE_SEED } from './penalty-seed';
import { approveChange, declineChange, ratesOf, type CashPenaltyRateChange } from './penalty-rate-change';

const FIXTURES = join(__dirname, '../../data/csdr');
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

  it('seed EUR cash fails with every ECB marginal lending facility rate of the snapshot, to 2025-06-11', () => {
    const snapshot = readFileSync(join(FIXTURES, 'ecb_key_interest_rates_snapshot.csv'), 'utf8');
    const rows = snapshot.trim().split('\n').slice(1).map((line) => line.split(','));
    const fromCsv = rows.map(([effectiveFrom, , , marginalLending]) => ({ currency: 'EUR', effectiveFrom, annualPercent: marginalLending })).sort((a, b) => (a.effectiveFrom < b.effectiveFrom ? -1 : 1));
    expect(CASH_PENALTY_RATE_SEED).toEqual(fromCsv);
    expect(CASH_PENALTY_RATE_SEED.at(-1)).toEqual({ currency: 'EUR', effectiveFrom: '2025-06-11', annualPercent: '2.40' });
    for (const rate of DEFAULT_CASH_PENALTY_RATES) expect(CASH_PENALTY_RATE_SEED).toContainEqual(rate);
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

describe('a cash fail', () => {
  it('is charged on the reference value at annual / 365, divided last (no rounded daily rate enters the amount)', () => {
    // 246,912.50 × 2.40 / 36,500 = 16.2353424… → 16.24; through a daily rate rounded to 4 dp of bps (0.6575) it would be 16.23.
    const amount = penaltyAmount({ failedQuantity: '250000', referencePrice: '98.765', priceType: 'PERCENT_OF_PAR', annualPercent: '2.40', currency: 'EUR' });
    expect(amount.toFixed()).toBe('16.24');
    expect(penaltyAmount({ failedQuantity: '250000', referencePrice: '98.765', priceType: 'PERCENT_OF_PAR', rateBps: new Decimal('0.6575'), currency: 'EUR' }).toFixed()).toBe('16.23');
    // 50.00 × 3.65 / 36,500 = 0.005 exactly: half a cent rounds up; 49.99 gives 0.004999… and rounds to nothing.
    expect(penaltyAmount({ failedQuantity: '1', referencePrice: '50.00', priceType: 'UNIT', annualPercent: '3.65', currency: 'EUR' }).toFixed()).toBe('0.01');
    expect(penaltyAmount({ failedQuantity: '1', referencePrice: '49.99', priceType: 'UNIT', annualPercent: '3.65', currency: 'EUR' }).toFixed()).toBe('0');
  });

  it('floors a negative central-bank rate at zero', () => {
    expect(penaltyAmount({ failedQuantity: '1000', referencePrice: '100', priceType: 'UNIT', annualPercent: '-0.50', currency: 'EUR' }).isZero()).toBe(true);
  });
});

describe('which fail days are penalised', () => {
  const cashRates = CASH_PENALTY_RATE_SEED;
  const state = (overrides: Partial<FailDayState> = {}): FailDayState => ({
    market: 'EU',
    category: 'LIQUID_SHARE',
    priceType: 'UNIT',
    currency: 'EUR',
    unsettledQuantity: '1000',
    matched: true,
    failingParty: 'COUNTERPARTY',
    reasonCode: 'CLAC',
    referencePrice: '100.00',
    ...overrides,
  });

  it('the EU only: a UK, US, CH or JP fail costs nothing', () => {
    expect(assessFailDay('2025-06-16', state(), defaults, cashRates)?.amount.toFixed(2)).toBe('10.00');
    for (const market of ['UK', 'US', 'CH', 'JP'] as const) expect(assessFailDay('2025-06-16', state({ market }), defaults, cashRates)).toBeNull();
  });

  it('matched instructions only, with a failing party and the day’s reference price', () => {
    expect(assessFailDay('2025-06-16', state({ matched: false }), defaults, cashRates)).toBeNull();
    expect(assessFailDay('2025-06-16', state({ failingParty: null, reasonCode: null }), defaults, cashRates)).toBeNull();
    expect(assessFailDay('2025-06-16', state({ referencePrice: null }), defaults, cashRates)).toBeNull();
    expect(assessFailDay('2025-06-16', state({ unsettledQuantity: '0' }), defaults, cashRates)).toBeNull();
  });

  it('a lack of cash at the currency’s rate in force that day, on the same reference value', () => {
    const before = assessFailDay('2025-06-10', state({ reasonCode: 'MONY', failingParty: 'US' }), defaults, cashRates)!;
    const after = assessFailDay('2025-06-11', state({ reasonCode: 'MONY', failingParty: 'US' }), defaults, cashRates)!;
    expect([before.amount.toFixed(2), before.direction]).toEqual(['7.26', 'PAY']); // 100,000 × 2.65 / 36,500 = 7.2602…
    expect([after.amount.toFixed(2), after.rateBps.toFixed()]).toEqual(['6.58', '0.6575342466']); // 100,000 × 2.40 / 36,500 = 6.5753…
  });

  it('not when it rounds to zero in the minor unit', () => {
    // 3 × 12.00 = 36.00 EUR × 0.5 bp = 0.0018 EUR → 0.00: not raised.
    expect(assessFailDay('2025-06-16', state({ category: 'ILLIQUID_SHARE', unsettledQuantity: '3', referencePrice: '12.00' }), defaults, cashRates)).toBeNull();
    expect(assessFailDay('2025-06-16', state({ category: 'ILLIQUID_SHARE', unsettledQuantity: '1000', referencePrice: '0.10' }), defaults, cashRates)?.amount.toFixed(2)).toBe('0.01');
  });
});

describe('late matching', () => {
  it('covers the business days from the ISD to the day before matching', () => {
    expect(lateMatchingDays('EU', '2025-06-16', '2025-06-19')).toEqual(['2025-06-16', '2025-06-17', '2025-06-18']);
    // ISD Friday, matched the next Tuesday: Friday and Monday.
    expect(lateMatchingDays('EU', '2025-06-13', '2025-06-17')).toEqual(['2025-06-13', '2025-06-16']);
    expect(lateMatchingDays('EU', '2025-06-16', '2025-06-16')).toEqual([]);
    expect(lateMatchingDays('EU', '2025-06-16', '2025-06-12')).toEqual([]);
  });

  it('is charged to the party that instructed last', () => {
    expect(lateMatchingParty('2025-06-12', '2025-06-19', null)).toBe('COUNTERPARTY'); // ours was in first
    expect(lateMatchingParty('2025-06-19', '2025-06-19', null)).toBe('US'); // ours made the match
    expect(lateMatchingParty('2025-06-12', '2025-06-19', 'US')).toBe('US'); // the depository said so
  });
});

describe('fail ageing buckets', () => {
  it.each([
    [1, '1'],
    [2, '2-4'],
    [4, '2-4'],
    [5, '5-7'],
    [7, '5-7'],
    [8, '8-15'],
    [15, '8-15'],
    [16, '16+'],
  ])('age %d is in bucket %s', (age, bucket) => expect(ageBucket(age)).toBe(bucket));
});

describe('cash penalty rate changes (four eyes)', () => {
  const change = (overrides: Partial<CashPenaltyRateChange> = {}): CashPenaltyRateChange => ({
    changeId: 'c1',
    currency: 'EUR',
    effectiveFrom: '2025-07-01',
    annualPercent: '2.15',
    reason: null,
    status: 'PENDING',
    proposedBy: 'ops-1',
    proposedAt: '2025-06-30T10:00:00.000Z',
    decidedBy: null,
    decidedAt: null,
    ...overrides,
  });

  it('cannot be approved by its proposer, nor decided twice', () => {
    expect(() => approveChange(change(), 'ops-1', 'now')).toThrow(expect.objectContaining({ kind: 'forbidden' }));
    const approved = approveChange(change(), 'supervisor-1', '2025-06-30T11:00:00.000Z');
    expect(approved).toMatchObject({ status: 'APPROVED', decidedBy: 'supervisor-1' });
    expect(() => declineChange(approved, 'supervisor-2', 'now')).toThrow(expect.objectContaining({ kind: 'conflict' }));
  });

  it('are rates once approved; the last approval for a date wins; pending and declined ones are history only', () => {
    const rates = ratesOf([
      change({ changeId: 'a', status: 'APPROVED', annualPercent: '2.20', decidedAt: '2025-06-30T11:00:00.000Z' }),
      change({ changeId: 'b', status: 'APPROVED', annualPercent: '2.15', decidedAt: '2025-06-30T12:00:00.000Z' }),
      change({ changeId: 'c', status: 'PENDING', effectiveFrom: '2025-08-01', annualPercent: '9' }),
      change({ changeId: 'd', status: 'DECLINED', effectiveFrom: '2025-08-02', annualPercent: '9' }),
      change({ changeId: 'e', status: 'APPROVED', currency: 'EUR', effectiveFrom: '2025-06-11', annualPercent: '2.40', decidedAt: '2025-06-01T00:00:00.000Z' }),
    ]);
    expect(rates).toEqual([
      { currency: 'EUR', effectiveFrom: '2025-06-11', annualPercent: '2.40' },
      { currency: 'EUR', effectiveFrom: '2025-07-01', annualPercent: '2.15' },
    ]);
  });
});

import { DEFAULT_PENALTY_RATES, assessFailDay, lateMatchingDays, lateMatchingParty, penaltyAmount, type FailDayState, type PenaltyRate } from './penalty';
import { CASH_PENALTY_RATE_SEED } from './penalty-seed';
import { CSDR_CATEGORIES } from '@postrade/contracts';
import { Decimal } from '@postrade/kernel';

/**
 * The worked example of docs/services/settlement-penalties.md, figure by figure: the document was
 * computed by hand, this test computes the same days with the code and must agree to the cent.
 */
const rates: PenaltyRate[] = CSDR_CATEGORIES.map((category) => ({ category, effectiveFrom: '2022-02-01', rateBps: DEFAULT_PENALTY_RATES[category] }));
const cash = CASH_PENALTY_RATE_SEED;
const eu = (overrides: Partial<FailDayState>): FailDayState => ({
  market: 'EU',
  category: 'LIQUID_SHARE',
  priceType: 'UNIT',
  currency: 'EUR',
  unsettledQuantity: '0',
  matched: true,
  failingParty: 'COUNTERPARTY',
  reasonCode: 'CLAC',
  referencePrice: null,
  ...overrides,
});
const figure = (day: string, state: FailDayState) => {
  const p = assessFailDay(day, state, rates, cash);
  return p === null ? null : { amount: p.amount.toFixed(2), direction: p.direction, rateBps: p.rateBps.toFixed() };
};

describe('worked example (docs/services/settlement-penalties.md)', () => {
  it('A: 10,000 liquid shares the counterparty fails to deliver, part-settled on the third day', () => {
    expect(figure('2025-06-16', eu({ unsettledQuantity: '10000', referencePrice: '52.30' }))).toEqual({ amount: '52.30', direction: 'RECEIVE', rateBps: '1' });
    expect(figure('2025-06-17', eu({ unsettledQuantity: '10000', referencePrice: '52.10' }))).toEqual({ amount: '52.10', direction: 'RECEIVE', rateBps: '1' });
    expect(figure('2025-06-18', eu({ unsettledQuantity: '6000', referencePrice: '51.85' }))).toEqual({ amount: '31.11', direction: 'RECEIVE', rateBps: '1' });
    expect(figure('2025-06-19', eu({ unsettledQuantity: '0', referencePrice: '51.90' }))).toBeNull();
  });

  it('B: a bond delivery the counterparty fails to pay for, at the ECB marginal lending rate', () => {
    const b = eu({ category: 'SOVEREIGN_DEBT', priceType: 'PERCENT_OF_PAR', unsettledQuantity: '250000', referencePrice: '98.765', reasonCode: 'CMON' });
    expect(figure('2025-06-16', b)).toEqual({ amount: '16.24', direction: 'RECEIVE', rateBps: '0.6575342466' });
    // Had securities been lacking instead: the sovereign-debt rate, 0.10 bp.
    expect(figure('2025-06-16', { ...b, reasonCode: 'CLAC' })).toEqual({ amount: '2.47', direction: 'RECEIVE', rateBps: '0.1' });
  });

  it('C: a receipt of illiquid shares that matched three business days late, the counterparty instructing last', () => {
    const days = lateMatchingDays('EU', '2025-06-16', '2025-06-19');
    expect(days).toEqual(['2025-06-16', '2025-06-17', '2025-06-18']);
    expect(lateMatchingParty('2025-06-12', '2025-06-19', null)).toBe('COUNTERPARTY');
    const prices: Record<string, string> = { '2025-06-16': '8.40', '2025-06-17': '8.45', '2025-06-18': '8.50' };
    const amounts = days.map((day) => penaltyAmount({ failedQuantity: '2000', referencePrice: prices[day], priceType: 'UNIT', rateBps: new Decimal('0.5'), currency: 'EUR' }).toFixed(2));
    expect(amounts).toEqual(['0.84', '0.85', '0.85']);
  });

  it('D: three illiquid shares at 12.00 fail: 0.0018 EUR rounds to nothing and no penalty is raised', () => {
    expect(figure('2025-06-16', eu({ category: 'ILLIQUID_SHARE', unsettledQuantity: '3', referencePrice: '12.00' }))).toBeNull();
  });

  it('E: the same fail in the UK costs nothing', () => {
    expect(figure('2025-06-16', eu({ market: 'UK', currency: 'GBP', unsettledQuantity: '10000', referencePrice: '52.30' }))).toBeNull();
  });

  it('totals: we receive 135.51 + 16.24 + 2.54 = 154.29 EUR for the week', () => {
    const total = ['52.30', '52.10', '31.11', '16.24', '0.84', '0.85', '0.85'].reduce((sum, a) => sum.plus(a), new Decimal(0));
    expect(total.toFixed(2)).toBe('154.29');
  });
});

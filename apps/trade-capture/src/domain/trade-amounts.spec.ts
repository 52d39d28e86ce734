import { Decimal } from '@postrade/kernel';
import { computeTradeAmounts, type TradeAmountInputs } from './trade-amounts';

function inputs(overrides: Partial<Omit<TradeAmountInputs, 'quantity' | 'price' | 'commission' | 'fees'>> & {
  quantity?: string;
  price?: string;
  commission?: string;
  fees?: string;
}): TradeAmountInputs {
  return {
    side: overrides.side ?? 'BUY',
    priceType: overrides.priceType ?? 'UNIT',
    currency: overrides.currency ?? 'USD',
    quantity: new Decimal(overrides.quantity ?? '1000'),
    price: new Decimal(overrides.price ?? '189.25'),
    commission: new Decimal(overrides.commission ?? '0'),
    fees: new Decimal(overrides.fees ?? '0'),
  };
}

function amounts(overrides: Partial<Omit<TradeAmountInputs, 'quantity' | 'price' | 'commission' | 'fees'>> & {
  quantity?: string;
  price?: string;
  commission?: string;
  fees?: string;
}) {
  return computeTradeAmounts({
    side: overrides.side ?? 'BUY',
    priceType: overrides.priceType ?? 'UNIT',
    currency: overrides.currency ?? 'USD',
    quantity: new Decimal(overrides.quantity ?? '1000'),
    price: new Decimal(overrides.price ?? '189.25'),
    commission: new Decimal(overrides.commission ?? '0'),
    fees: new Decimal(overrides.fees ?? '0'),
  });
}

describe('trade amounts', () => {
  it('adds commission and fees to the gross for a BUY', () => {
    expect(amounts({ commission: '10.00', fees: '1.20' })).toEqual({
      grossAmount: '189250.00',
      accruedInterest: '0.00',
      commission: '10.00',
      fees: '1.20',
      netAmount: '189261.20',
    });
  });

  it('subtracts commission and fees from the gross for a SELL', () => {
    expect(amounts({ side: 'SELL', commission: '10', fees: '1.2' }).netAmount).toBe('189238.80');
  });

  it('rounds the gross half-up to the cent: 0.125 USD is 0.13 and 0.015 USD is 0.02', () => {
    expect(amounts({ quantity: '1', price: '0.125' }).grossAmount).toBe('0.13');
    expect(amounts({ quantity: '3', price: '0.005' }).grossAmount).toBe('0.02');
    expect(amounts({ quantity: '1', price: '0.12499999' }).grossAmount).toBe('0.12');
  });

  it('keeps JPY amounts in whole yen, rounding half-up', () => {
    expect(amounts({ currency: 'JPY', quantity: '100', price: '1234.5' }).grossAmount).toBe('123450');
    expect(amounts({ currency: 'JPY', quantity: '3', price: '0.5' }).grossAmount).toBe('2');
    expect(amounts({ currency: 'JPY', quantity: '1', price: '0.49' }).grossAmount).toBe('0');
    expect(amounts({ currency: 'JPY', quantity: '100', price: '1000', commission: '500', side: 'SELL' }).netAmount).toBe('99500');
  });

  it('prices a bond per 100 of nominal', () => {
    expect(amounts({ priceType: 'PERCENT_OF_PAR', quantity: '1000000', price: '99.875', currency: 'EUR' }).grossAmount).toBe('998750.00');
    expect(amounts({ priceType: 'PERCENT_OF_PAR', quantity: '1000', price: '99.12345', currency: 'EUR' }).grossAmount).toBe('991.23');
    expect(amounts({ priceType: 'PERCENT_OF_PAR', quantity: '1000', price: '99.125', currency: 'GBP' }).grossAmount).toBe('991.25');
  });

  it('adds a bond\'s accrued interest to the gross for a BUY and a SELL alike: the buyer pays the seller the coupon earned so far', () => {
    const bond = { priceType: 'PERCENT_OF_PAR' as const, quantity: '1000000', price: '98.50', currency: 'EUR' };
    expect(computeTradeAmounts({ ...inputs(bond), accruedInterest: new Decimal('13563.18') })).toMatchObject({
      grossAmount: '985000.00',
      accruedInterest: '13563.18',
      netAmount: '998563.18',
    });
    expect(computeTradeAmounts({ ...inputs({ ...bond, side: 'SELL', commission: '100' }), accruedInterest: new Decimal('-797.65') }).netAmount).toBe('984102.35');
  });

  it('rounds the gross before charges are added, so the net is gross ± charges exactly', () => {
    const result = amounts({ quantity: '3', price: '0.335', commission: '0.01' });
    expect(result.grossAmount).toBe('1.01');
    expect(result.netAmount).toBe('1.02');
  });
});

import fc from 'fast-check';
import { Decimal, parseDecimal } from './decimal';
import { DomainError } from './errors';
import { Money, roundToMinorUnit } from './money';

describe('Money', () => {
  it('prints exactly the minor-unit decimals of its currency', () => {
    expect(Money.of('189261.2', 'USD').toString()).toBe('189261.20');
    expect(Money.of('1000', 'JPY').toString()).toBe('1000');
    expect(Money.of('1.5', 'BHD').toString()).toBe('1.500');
  });

  it('rounds half-up to the minor unit: 0.005 USD → 0.01, -0.005 USD → -0.01', () => {
    expect(Money.of('0.005', 'USD').roundHalfUp().amount.equals(parseDecimal('0.01'))).toBe(true);
    expect(Money.of('-0.005', 'USD').roundHalfUp().toString()).toBe('-0.01');
    expect(Money.of('0.0049', 'USD').roundHalfUp().toString()).toBe('0.00');
  });

  it('rounds JPY to whole yen and BHD to three decimals', () => {
    expect(Money.of('1234.5', 'JPY').roundHalfUp().toString()).toBe('1235');
    expect(Money.of('1234.4999', 'JPY').roundHalfUp().toString()).toBe('1234');
    expect(Money.of('1.0005', 'BHD').roundHalfUp().toString()).toBe('1.001');
    expect(Money.of('1.0004', 'BHD').roundHalfUp().toString()).toBe('1.000');
  });

  it('keeps the exact amount until it is rounded', () => {
    const gross = Money.of(parseDecimal('1000').times('189.26125'), 'USD');
    expect(gross.amount.toString()).toBe('189261.25');
    expect(Money.of(parseDecimal('3').times('0.335'), 'USD').amount.toString()).toBe('1.005');
    expect(Money.of(parseDecimal('3').times('0.335'), 'USD').roundHalfUp().toString()).toBe('1.01');
  });

  it('adds and subtracts amounts of the same currency exactly', () => {
    const gross = Money.of('189261.20', 'USD');
    const commission = Money.of('12.35', 'USD');
    const fees = Money.of('0.10', 'USD');
    expect(gross.add(commission).add(fees).toString()).toBe('189273.65');
    expect(gross.subtract(commission).subtract(fees).toString()).toBe('189248.75');
    expect(Money.of('0.1', 'EUR').add(Money.of('0.2', 'EUR')).equals(Money.of('0.3', 'EUR'))).toBe(true);
  });

  it('refuses to add or subtract different currencies', () => {
    expect(() => Money.of('1', 'USD').add(Money.of('1', 'EUR'))).toThrow(DomainError);
    expect(() => Money.of('1', 'USD').subtract(Money.of('1', 'GBP'))).toThrow(
      expect.objectContaining({ kind: 'invalid', errors: [expect.objectContaining({ field: 'currency' })] }),
    );
  });

  it('rejects an unknown currency and a non-canonical amount, naming the field', () => {
    expect(() => Money.of('1', 'usd')).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'currency' })] }));
    expect(() => Money.of('1e3', 'USD', 'grossAmount')).toThrow(
      expect.objectContaining({ errors: [expect.objectContaining({ field: 'grossAmount' })] }),
    );
    expect(() => Money.of(new Decimal(NaN), 'USD')).toThrow(DomainError);
  });

  it('compares by value, not by scale', () => {
    expect(Money.of('1.5', 'USD').equals(Money.of('1.50', 'USD'))).toBe(true);
    expect(Money.of('1.5', 'USD').equals(Money.of('1.5', 'CAD'))).toBe(false);
  });

  it('serialises to JSON as a decimal string with its currency', () => {
    expect(JSON.stringify(Money.of('189261.2', 'USD'))).toBe('{"amount":"189261.20","currency":"USD"}');
  });

  it('knows zero and negative amounts', () => {
    expect(Money.zero('JPY').isZero()).toBe(true);
    expect(Money.of('-0.01', 'USD').isNegative()).toBe(true);
    expect(Money.of('-0', 'USD').isNegative()).toBe(false);
    expect(Money.of('5', 'USD').negate().toString()).toBe('-5.00');
  });

  it('rounding to the minor unit never moves an amount by more than half a minor unit', () => {
    const amounts = fc.tuple(fc.bigInt({ min: -(10n ** 15n), max: 10n ** 15n }), fc.integer({ min: 0, max: 8 })).map(([units, scale]) =>
      new Decimal(units.toString()).dividedBy(new Decimal(10).pow(scale)),
    );
    fc.assert(
      fc.property(amounts, fc.constantFrom('USD', 'JPY', 'BHD'), (amount, currency) => {
        const rounded = roundToMinorUnit(amount, currency);
        const half = new Decimal(10).pow(-({ USD: 2, JPY: 0, BHD: 3 } as Record<string, number>)[currency]).dividedBy(2);
        expect(rounded.minus(amount).abs().lessThanOrEqualTo(half)).toBe(true);
        expect(rounded.decimalPlaces()).toBeLessThanOrEqual(({ USD: 2, JPY: 0, BHD: 3 } as Record<string, number>)[currency]);
      }),
    );
  });
});

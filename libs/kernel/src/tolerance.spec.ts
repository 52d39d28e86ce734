import fc from 'fast-check';
import { Decimal } from './decimal';
import { DomainError } from './errors';
import { settlementAmountTolerance, withinTolerance } from './tolerance';

const d = (value: string) => new Decimal(value);

describe('the settlement amount matching tolerance', () => {
  it.each([
    ['0', '2'],
    ['99999.99', '2'],
    ['100000', '2'],
    ['100000.00', '2'],
    ['100000.01', '25'],
    ['100001', '25'],
    ['250000000', '25'],
  ])('is %s → %s units', (amount, tolerance) => {
    expect(settlementAmountTolerance(d(amount)).toFixed()).toBe(tolerance);
  });

  it('looks at the size of the amount, not its sign', () => {
    expect(settlementAmountTolerance(d('-100000')).toFixed()).toBe('2');
    expect(settlementAmountTolerance(d('-100000.01')).toFixed()).toBe('25');
  });
});

describe('within a tolerance', () => {
  it('is inclusive at the edge and fails just beyond it, in either direction', () => {
    expect(withinTolerance(d('1000'), d('1002'), d('2'))).toBe(true);
    expect(withinTolerance(d('1000'), d('998'), d('2'))).toBe(true);
    expect(withinTolerance(d('1000'), d('1002.01'), d('2'))).toBe(false);
    expect(withinTolerance(d('1000'), d('997.99'), d('2'))).toBe(false);
  });

  it('with a zero tolerance demands equal values, whatever their scale as written', () => {
    expect(withinTolerance(d('10.50'), d('10.5'), d('0'))).toBe(true);
    expect(withinTolerance(d('10.5'), d('10.500000000001'), d('0'))).toBe(false);
  });

  it('applies the matching tolerance tier of the amount at and beyond 100,000', () => {
    const ours = d('100000');
    expect(withinTolerance(ours, d('100002'), settlementAmountTolerance(ours))).toBe(true);
    expect(withinTolerance(ours, d('100002.01'), settlementAmountTolerance(ours))).toBe(false);
    const large = d('100000.01');
    expect(withinTolerance(large, d('100025.01'), settlementAmountTolerance(large))).toBe(true);
    expect(withinTolerance(large, d('100025.02'), settlementAmountTolerance(large))).toBe(false);
  });

  it('refuses a negative tolerance rather than reading it as "never equal"', () => {
    expect(() => withinTolerance(d('1'), d('1'), d('-0.01'))).toThrow(DomainError);
    expect(withinTolerance(d('1'), d('1'), d('-0'))).toBe(true);
  });
});

describe('equality inside withinTolerance', () => {
  /** Decimals as arithmetic leaves them: trailing zeros, whole multiples of 10^7, negative zeros, long fractions. */
  const decimalArb = fc
    .tuple(
      fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }),
      fc.integer({ min: 0, max: 12 }),
      fc.constantFrom('none', 'plus-minus', 'times-ten-million', 'minus-itself', 'divide-by-three-times-three'),
    )
    .map(([digits, scale, operation]) => {
      const value = new Decimal(digits.toString()).div(new Decimal(10).pow(scale));
      switch (operation) {
        case 'plus-minus':
          return value.plus('0.0000001').minus('0.0000001');
        case 'times-ten-million':
          return value.times(10_000_000);
        case 'minus-itself':
          return value.neg().minus(value.neg());
        case 'divide-by-three-times-three':
          return value.div(3).times(3);
        default:
          return value;
      }
    });

  it('agrees with Decimal#eq on decimals however they were made', () => {
    fc.assert(
      fc.property(decimalArb, decimalArb, fc.boolean(), (a, b, same) => {
        const other = same ? new Decimal(a.toFixed()) : b;
        expect(withinTolerance(a, other, d('0'))).toBe(a.eq(other));
      }),
      { numRuns: 2000 },
    );
  });

  it('treats zero and negative zero as equal, and infinities by their sign', () => {
    expect(withinTolerance(d('0'), d('-0'), d('0'))).toBe(true);
    expect(withinTolerance(d('1').minus('1'), d('0').neg(), d('0'))).toBe(true);
    expect(withinTolerance(d('0'), d('0.0000001'), d('0'))).toBe(false);
    expect(withinTolerance(new Decimal(Infinity), new Decimal(Infinity), d('0'))).toBe(true);
    expect(withinTolerance(new Decimal(Infinity), new Decimal(-Infinity), d('0'))).toBe(false);
  });
});

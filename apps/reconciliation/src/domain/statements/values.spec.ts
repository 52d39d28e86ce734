import fc from 'fast-check';
import { checkDecimalString } from '@postrade/kernel';
import { DuplicateFinder } from './statement-lines';
import { boundedDecimal, dateField, decimalField, FieldErrors, isinField, MAX_REPORTED_ERRORS, oneOf } from './values';

describe('boundedDecimal', () => {
  it("gives the kernel's checkDecimalString verdict for any text", () => {
    const decimalish = fc.stringOf(fc.constantFrom(...'-0123456789.1e +'.split('')), { maxLength: 40 });
    fc.assert(fc.property(fc.oneof(decimalish, fc.string({ maxLength: 40 })), (text) => expect(boundedDecimal(text)).toBe(checkDecimalString(text))));
    for (const text of ['1', '-0', '007', '1.5', '-1.000000000000', `${'9'.repeat(18)}.${'9'.repeat(12)}`, `${'9'.repeat(19)}`, '1.', '.5', '+1', '1e5', '', '-', '1.2.3', ' 1']) {
      expect([text, boundedDecimal(text)]).toEqual([text, checkDecimalString(text)]);
    }
    expect(boundedDecimal(42)).toBe('not-a-decimal-string');
  });
});

describe('field checks', () => {
  it('decimals: signs as the field needs, values shared between lines but never changed by use', () => {
    const errors = new FieldErrors();
    const a = decimalField('1000', 'q', errors, 'positive');
    const b = decimalField('1000', 'q', errors, 'positive');
    expect(a?.plus(1).toFixed()).toBe('1001');
    expect(b?.toFixed()).toBe('1000');
    expect(decimalField('0', 'q', errors, 'positive')).toBeNull();
    expect(decimalField('-0.00', 'q', errors, 'non-negative')?.isZero()).toBe(true);
    expect(decimalField('-0.01', 'q', errors, 'non-negative')).toBeNull();
    expect(errors.errors).toEqual([
      { field: 'q', message: 'must be greater than zero' },
      { field: 'q', message: 'must not be negative' },
    ]);
  });

  it('ISINs: full check by default, the pattern on request; dates: real ones only', () => {
    const errors = new FieldErrors();
    expect(isinField('XX0000000001', 'isin', errors, 'pattern')).toBe('XX0000000001');
    expect(isinField('XX0000000001', 'isin', errors)).toBeNull();
    expect(isinField('US0378331005', 'isin', errors)).toBe('US0378331005');
    expect(isinField('us0378331005', 'isin', errors, 'pattern')).toBeNull();
    expect(dateField('2024-02-29', 'd', errors)).toBe('2024-02-29');
    expect(dateField('2025-02-29', 'd', errors)).toBeNull();
    expect(oneOf('PAY', ['PAY', 'RECEIVE'], 'direction', errors)).toBe('PAY');
    expect(errors.errors.map((e) => e.field)).toEqual(['isin', 'isin', 'd']);
  });

  it('stops collecting at the cap and throws what it has', () => {
    const errors = new FieldErrors();
    expect(() => {
      for (let i = 0; i < 1_000; i++) errors.add(`f${i}`, 'bad');
    }).toThrow(expect.objectContaining({ kind: 'invalid' }));
    expect(errors.errors).toHaveLength(MAX_REPORTED_ERRORS);
  });
});

describe('DuplicateFinder', () => {
  it('finds every repeat, naming where its key first came, in the order the repeats came', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 30 }), (keys) => {
        const finder = new DuplicateFinder();
        keys.forEach((key, i) => finder.add(key, i * 10));
        const expected = keys.flatMap((key, i) => (keys.indexOf(key) < i ? [{ item: i, place: i * 10, first: keys.indexOf(key) * 10 }] : []));
        expect(finder.repeats()).toEqual(expected);
      }),
    );
  });
});

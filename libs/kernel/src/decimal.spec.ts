import fc from 'fast-check';
import { DomainError } from './errors';
import { checkDecimalString, Decimal, decimalPlaces, isBoundedDecimalString, isDecimalString, parseDecimal, toDecimalString } from './decimal';

describe('parseDecimal', () => {
  it.each(['0', '-0', '1', '-1', '189.25', '0.005', '-0.005', '1000000000000', '0.000000000000000000000000000001', '007.50'])(
    'accepts the canonical decimal string %s',
    (text) => {
      expect(parseDecimal(text).equals(new Decimal(text))).toBe(true);
    },
  );

  it.each(['', ' 1', '1 ', '1e5', '1E5', '+1', '.5', '1.', '-.5', '1,5', '1_000', 'NaN', 'Infinity', '-', '0x10', '١٢'])(
    'rejects "%s" instead of guessing',
    (text) => {
      expect(() => parseDecimal(text, 'price')).toThrow(
        expect.objectContaining({ kind: 'invalid', errors: [expect.objectContaining({ field: 'price' })] }),
      );
    },
  );

  it('rejects a JS number even when the caller bypasses the type', () => {
    expect(() => parseDecimal(0.1 as unknown as string, 'quantity')).toThrow(DomainError);
    expect(() => parseDecimal(NaN as unknown as string)).toThrow(DomainError);
    expect(isDecimalString(1)).toBe(false);
  });
});

describe('checkDecimalString: an input decimal within its digits', () => {
  const nines = (count: number) => '9'.repeat(count);

  it('accepts up to 18 digits before the point and 12 after by default, signed or not', () => {
    expect(checkDecimalString(`${nines(18)}.${nines(12)}`)).toBe('ok');
    expect(checkDecimalString(`-${nines(18)}.${nines(12)}`)).toBe('ok');
    expect(isBoundedDecimalString('189.25')).toBe(true);
  });

  it('refuses 19 integer digits or 13 fractional ones', () => {
    expect(checkDecimalString(nines(19))).toBe('too-many-digits');
    expect(checkDecimalString(`0.${nines(13)}`)).toBe('too-many-digits');
    expect(checkDecimalString(`${nines(19)}.${nines(13)}`)).toBe('too-many-digits');
    expect(isBoundedDecimalString(nines(19))).toBe(false);
  });

  it('refuses a 400,000-digit value by its length alone', () => {
    expect(checkDecimalString(nines(400_000))).toBe('too-many-digits');
    expect(checkDecimalString(`${nines(399_999)}x`)).toBe('too-many-digits');
  });

  it('takes the bounds a field declares', () => {
    expect(checkDecimalString('123456.1234567890', { integerDigits: 6, fractionDigits: 10 })).toBe('ok');
    expect(checkDecimalString('1234567', { integerDigits: 6, fractionDigits: 10 })).toBe('too-many-digits');
    expect(checkDecimalString('1.001', { integerDigits: 18, fractionDigits: 2 })).toBe('too-many-digits');
  });

  it('tells a malformed value from an overlong one', () => {
    for (const value of ['', '1e5', '+1', '.5', '1.', ' 1', 1, null]) expect(checkDecimalString(value)).toBe('not-a-decimal-string');
  });
});

describe('decimal arithmetic', () => {
  it('is exact where binary floating point is not: 0.1 + 0.2 = 0.3', () => {
    expect(parseDecimal('0.1').plus(parseDecimal('0.2')).equals(parseDecimal('0.3'))).toBe(true);
    expect(toDecimalString(parseDecimal('0.1').plus('0.2'))).toBe('0.3');
  });

  it('keeps long decimals exact through addition and multiplication', () => {
    const a = parseDecimal('123456789012345678.123456789012345678');
    const b = parseDecimal('0.000000000000000001');
    expect(toDecimalString(a.plus(b))).toBe('123456789012345678.123456789012345679');
    // 1,000,000 × 189.2612 + 0.25 × 189.2612
    expect(toDecimalString(parseDecimal('1000000.25').times('189.2612'))).toBe('189261247.3153');
    // 18 + 20 significant digits: checked against integer arithmetic on the scaled values.
    const product = BigInt('999999999999999999') * BigInt('12345678901234567891');
    expect(toDecimalString(parseDecimal('999999999.999999999').times('1234567890.1234567891'))).toBe(
      `${product / 10n ** 19n}.${(product % 10n ** 19n).toString().padStart(19, '0')}`,
    );
  });

  it('never writes an exponent, however large or small the value', () => {
    expect(toDecimalString(parseDecimal('1').times('1e30'))).toBe('1000000000000000000000000000000');
    expect(toDecimalString(parseDecimal('0.000000000000000000015'))).toBe('0.000000000000000000015');
    expect(parseDecimal('0.0000001').toString()).toBe('0.0000001');
  });

  it('rounds half-up, ties away from zero: 0.005 → 0.01 and -0.005 → -0.01', () => {
    expect(toDecimalString(parseDecimal('0.005'), 2)).toBe('0.01');
    expect(toDecimalString(parseDecimal('-0.005'), 2)).toBe('-0.01');
    expect(toDecimalString(parseDecimal('0.0049999'), 2)).toBe('0.00');
    expect(toDecimalString(parseDecimal('2.5'), 0)).toBe('3');
    expect(toDecimalString(parseDecimal('1.2'), 3)).toBe('1.200');
  });

  it('writes no sign on a zero', () => {
    expect(toDecimalString(parseDecimal('-0.001'), 2)).toBe('0.00');
    expect(toDecimalString(parseDecimal('-0'))).toBe('0');
  });

  it('round-trips every canonical decimal string through parse and print', () => {
    const canonical = fc
      .tuple(fc.boolean(), fc.bigInt({ min: 1n, max: 10n ** 30n }), fc.stringMatching(/^\d{0,20}$/))
      .map(([negative, whole, fraction]) => `${negative ? '-' : ''}${whole}${fraction === '' ? '' : `.${fraction}`}`)
      .filter((text) => !/\.\d*0$/.test(text));
    fc.assert(fc.property(canonical, (text) => toDecimalString(parseDecimal(text)) === text));
  });
});

describe('decimalPlaces', () => {
  it('counts the digits after the point as written', () => {
    expect(decimalPlaces('100')).toBe(0);
    expect(decimalPlaces('189.25')).toBe(2);
    expect(decimalPlaces('1.2300')).toBe(4);
    expect(decimalPlaces('-0.005')).toBe(3);
  });

  it('rejects a string that is not a canonical decimal', () => {
    expect(() => decimalPlaces('1e-5')).toThrow(DomainError);
  });
});

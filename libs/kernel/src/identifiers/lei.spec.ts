import { join } from 'node:path';
import { readCsvFixture } from '../test-support/csv-fixture';
import { leiWithCheckDigits } from './check-digits';
import { assertLei, isValidLei, validateLei } from './lei';

const vectors = readCsvFixture(join(__dirname, '__fixtures__', 'lei_vectors.csv'));

describe('LEI (ISO 17442)', () => {
  it('reads every vector of the fixture (136 valid, 54 invalid, as its README counts)', () => {
    expect(vectors.filter((v) => v.expected === 'valid')).toHaveLength(136);
    expect(vectors.filter((v) => v.expected === 'invalid')).toHaveLength(54);
  });

  it.each(vectors.filter((v) => v.expected === 'valid'))('accepts $value ($reason)', ({ value }) => {
    expect(validateLei(value)).toBeNull();
    expect(assertLei(value)).toBe(value);
  });

  it.each(vectors.filter((v) => v.expected === 'invalid'))('rejects "$value" ($reason)', ({ value }) => {
    expect(isValidLei(value)).toBe(false);
    expect(() => assertLei(value, 'counterpartyLei')).toThrow(
      expect.objectContaining({ kind: 'invalid', errors: [{ field: 'counterpartyLei', message: validateLei(value) }] }),
    );
  });

  it('names the check digits as the reason when only they are wrong', () => {
    expect(validateLei('5493001KJTIIGC8Y1R12')).toBeNull();
    expect(validateLei('5493001KJTIIGC8Y1R13')).toMatch(/MOD 97-10/);
  });

  it('requires the last two characters to be digits', () => {
    expect(validateLei('969500T3MBS4SQAMHJ4A')).toMatch(/two check digits/);
  });

  it('never normalises: lower case and spaces are invalid', () => {
    expect(isValidLei('5493001kjtiigc8y1r12')).toBe(false);
    expect(isValidLei('5493001KJTIIGC8Y1R12 ')).toBe(false);
  });
});

describe('making an LEI from its prefix', () => {
  it('appends the check digits that make a valid LEI', () => {
    expect(leiWithCheckDigits('5493001KJTIIGC8Y1R')).toBe('5493001KJTIIGC8Y1R12');
    expect(validateLei(leiWithCheckDigits('TESTPREFIX00000001'))).toBeNull();
  });
});

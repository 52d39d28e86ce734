import { join } from 'node:path';
import { DomainError } from '../errors';
import { readCsvFixture } from '../test-support/csv-fixture';
import { isinWithCheckDigit } from './check-digits';
import { assertIsin, isValidIsin, validateIsin } from './isin';

const vectors = readCsvFixture(join(__dirname, '__fixtures__', 'isin_vectors.csv'));

describe('ISIN (ISO 6166)', () => {
  it('reads every vector of the fixture (374 valid, 73 invalid, as its README counts)', () => {
    expect(vectors.filter((v) => v.expected === 'valid')).toHaveLength(374);
    expect(vectors.filter((v) => v.expected === 'invalid')).toHaveLength(73);
  });

  // Every row agrees with the platform's rule as it stands: the special prefixes the vectors
  // accept (XS, EU, EZ, XA–XD, XF, QS, QT, QW, AN) are in ISIN_NON_COUNTRY_PREFIXES, and the
  // lower-case rows are invalid in the source too (commons-validator disallows lower case).
  it.each(vectors.filter((v) => v.expected === 'valid'))('accepts $value ($reason)', ({ value }) => {
    expect(validateIsin(value)).toBeNull();
    expect(assertIsin(value)).toBe(value);
  });

  it.each(vectors.filter((v) => v.expected === 'invalid'))('rejects "$value" ($reason)', ({ value }) => {
    expect(isValidIsin(value)).toBe(false);
    expect(() => assertIsin(value, 'instrument.isin')).toThrow(
      expect.objectContaining({ kind: 'invalid', errors: [{ field: 'instrument.isin', message: validateIsin(value) }] }),
    );
  });

  it('names the wrong check digit as the reason when only the check digit is wrong', () => {
    expect(validateIsin('US0378331003')).toMatch(/check digit/);
  });

  it('rejects a prefix that is neither a country nor an ISO 6166 prefix even with a good check digit', () => {
    // ZP3946600008 passes Luhn; only its prefix is wrong.
    expect(validateIsin('ZP3946600008')).toMatch(/prefix ZP/);
  });

  it('never normalises: lower case and spaces are invalid, not upper-cased or trimmed', () => {
    expect(isValidIsin('us0378331005')).toBe(false);
    expect(isValidIsin(' US0378331005')).toBe(false);
    expect(isValidIsin('US 0378331005')).toBe(false);
  });

  it('rejects values that are not strings', () => {
    expect(isValidIsin(378331005)).toBe(false);
    expect(() => assertIsin(undefined)).toThrow(DomainError);
  });
});

describe('making an ISIN from its prefix', () => {
  it('appends the Luhn check digit that makes a valid ISIN', () => {
    expect(isinWithCheckDigit('US037833100')).toBe('US0378331005');
    expect(validateIsin(isinWithCheckDigit('XSABCDEF123'))).toBeNull();
  });
});

import { join } from 'node:path';
import { readCsvFixture } from '../test-support/csv-fixture';
import { assertBic, isValidBic, validateBic } from './bic';

const vectors = readCsvFixture(join(__dirname, '__fixtures__', 'bic_vectors.csv'));

/**
 * Rows whose source convention differs from the platform's rule. Each is still tested, against
 * the platform's outcome, and must still be in the fixture with the source's opposite verdict.
 */
const PLATFORM_DIFFERS: Record<string, { expected: 'valid' | 'invalid'; why: string }> = {
  'ABNA BE 2A': {
    expected: 'invalid',
    why: 'python-stdnum strips spaces before validating; DOMAIN.md accepts canonical form only (no spaces), so ABNABE2A is valid but "ABNA BE 2A" is not',
  },
};

const outcomes = vectors.map((v) => ({
  value: v.value,
  reason: PLATFORM_DIFFERS[v.value]?.why ?? v.reason,
  expected: PLATFORM_DIFFERS[v.value]?.expected ?? v.expected,
}));

describe('BIC (ISO 9362)', () => {
  it('reads every vector of the fixture (408 valid, 30 invalid, as its README counts)', () => {
    expect(vectors.filter((v) => v.expected === 'valid')).toHaveLength(408);
    expect(vectors.filter((v) => v.expected === 'invalid')).toHaveLength(30);
  });

  it.each(Object.entries(PLATFORM_DIFFERS))('overrides "%s" only where the source says the opposite', (value, platform) => {
    const row = vectors.find((v) => v.value === value);
    expect(row?.expected).toBeDefined();
    expect(row?.expected).not.toBe(platform.expected);
  });

  it.each(outcomes.filter((v) => v.expected === 'valid'))('accepts $value ($reason)', ({ value }) => {
    expect(validateBic(value)).toBeNull();
    expect(assertBic(value)).toBe(value);
  });

  it.each(outcomes.filter((v) => v.expected === 'invalid'))('rejects "$value" ($reason)', ({ value }) => {
    expect(isValidBic(value)).toBe(false);
    expect(() => assertBic(value, 'agentBic')).toThrow(
      expect.objectContaining({ kind: 'invalid', errors: [{ field: 'agentBic', message: validateBic(value) }] }),
    );
  });

  it('accepts the same BIC written canonically', () => {
    expect(isValidBic('ABNABE2A')).toBe(true);
  });

  it('accepts Kosovo BICs under XK, which SWIFT assigns although ISO 3166-1 does not', () => {
    expect(isValidBic('TEBKXKPR030')).toBe(true);
  });

  it('rejects a country part that is not an ISO 3166-1 code', () => {
    // MULTIPLE has the right shape; IP is no country.
    expect(validateBic('MULTIPLE')).toMatch(/country IP/);
  });

  it('rejects a digit in the institution or country code and lengths other than 8 or 11', () => {
    expect(isValidBic('AR1BPS22600')).toBe(false);
    expect(isValidBic('ABNC1L2AGIR')).toBe(false);
    expect(validateBic('AGRIFRPP8')).toMatch(/8 or 11/);
  });

  it('never normalises: lower case is invalid', () => {
    expect(isValidBic('deutdeff')).toBe(false);
    expect(isValidBic('DEUTDEFF')).toBe(true);
  });
});

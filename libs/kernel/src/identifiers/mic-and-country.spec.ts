import { DomainError } from '../errors';
import { assertCountryCode, isCountryCode, ISO_3166_1_ALPHA_2 } from './country-codes';
import { assertMic, isValidMic } from './mic';

describe('MIC (ISO 10383)', () => {
  it.each(['XNYS', 'XLON', 'XETR', '360T'])('accepts %s: four upper-case letters or digits', (mic) => {
    expect(isValidMic(mic)).toBe(true);
  });

  it.each(['xnys', 'XNY', 'XNYSE', 'XN S', '', 'XNY-'])('rejects "%s"', (mic) => {
    expect(isValidMic(mic)).toBe(false);
    expect(() => assertMic(mic, 'venue')).toThrow(expect.objectContaining({ errors: [expect.objectContaining({ field: 'venue' })] }));
  });
});

describe('ISO 3166-1 alpha-2 country codes', () => {
  it('lists exactly the 249 officially assigned codes', () => {
    expect(ISO_3166_1_ALPHA_2.size).toBe(249);
  });

  it.each(['US', 'GB', 'DE', 'CH', 'JP', 'CW', 'SX', 'BQ', 'SS'])('knows %s', (code) => {
    expect(isCountryCode(code)).toBe(true);
  });

  it.each(['UK', 'EU', 'XK', 'AN', 'CS', 'ZZ', 'us', 'USA', ''])('does not treat %s as a country', (code) => {
    expect(isCountryCode(code)).toBe(false);
  });

  it('throws an invalid-field error naming the field', () => {
    expect(() => assertCountryCode('UK', 'counterparty.country')).toThrow(DomainError);
    expect(() => assertCountryCode('UK', 'counterparty.country')).toThrow(/counterparty\.country/);
  });
});

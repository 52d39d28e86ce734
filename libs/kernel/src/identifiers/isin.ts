import { DomainError } from '../errors';
import { expandLetters, passesLuhn } from './check-digits';
import { ISO_3166_1_ALPHA_2 } from './country-codes';

/**
 * Prefixes that ISO 6166 numbering agencies use besides the issuer's ISO 3166-1 country:
 * international and supranational issues, substitute numbering agencies, and codes kept on
 * outstanding securities after the country code itself was withdrawn (an ISIN never changes).
 */
export const ISIN_NON_COUNTRY_PREFIXES: ReadonlyMap<string, string> = new Map([
  ['XS', 'international securities (Euroclear / Clearstream)'],
  ['EU', 'European Union issues'],
  ['EZ', 'OTC derivatives numbered by the ANNA Derivatives Service Bureau'],
  ['XA', 'CUSIP Global Services, substitute agency'],
  ['XB', 'NSD Russia, substitute agency'],
  ['XC', 'WM Datenservice, substitute agency'],
  ['XD', 'SIX Financial Information, substitute agency'],
  ['XF', 'internally assigned, not unique'],
  ['QS', 'Euroclear France interim numbers'],
  ['QT', 'Switzerland, securities without a regular ISIN'],
  ['QW', 'Germany, WKN-based numbers without a regular ISIN'],
  ['AN', 'Netherlands Antilles (ISO 3166-1 code withdrawn 2010; ISINs still outstanding)'],
]);

const SHAPE = /^[A-Z]{2}[A-Z0-9]{9}[0-9]$/;

/** The reason `value` is not an ISIN in canonical form, or null when it is one. */
export function validateIsin(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length !== 12) return `must be 12 characters, got ${value.length}`;
  if (!/^[A-Z0-9]+$/.test(value)) return 'must contain only upper-case letters and digits (no spaces, no lower case)';
  if (!SHAPE.test(value)) return 'must be a 2-letter prefix, 9 letters or digits and a check digit';
  const prefix = value.slice(0, 2);
  if (!ISO_3166_1_ALPHA_2.has(prefix) && !ISIN_NON_COUNTRY_PREFIXES.has(prefix)) {
    return `prefix ${prefix} is neither an ISO 3166-1 country code nor an ISO 6166 prefix`;
  }
  if (!passesLuhn(expandLetters(value))) return 'check digit does not match (Luhn)';
  return null;
}

export function isValidIsin(value: unknown): value is string {
  return validateIsin(value) === null;
}

export function assertIsin(value: unknown, field = 'isin'): string {
  const reason = validateIsin(value);
  if (reason !== null) throw DomainError.invalid(field, reason);
  return value as string;
}

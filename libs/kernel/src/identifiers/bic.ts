import { DomainError } from '../errors';
import { ISO_3166_1_ALPHA_2 } from './country-codes';

/**
 * SWIFT, the ISO 9362 registration authority, issues BICs for Kosovo under XK, a code ISO 3166-1
 * leaves unassigned. Such BICs are real (e.g. TEBKXKPR), so they are accepted here even though
 * XK is not a country code anywhere else in the platform.
 */
export const BIC_NON_ISO_COUNTRY_CODES: ReadonlySet<string> = new Set(['XK']);

const SHAPE = /^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}([A-Z0-9]{3})?$/;

/** The reason `value` is not a BIC in canonical form, or null when it is one. */
export function validateBic(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length !== 8 && value.length !== 11) return `must be 8 or 11 characters, got ${value.length}`;
  if (!/^[A-Z0-9]+$/.test(value)) return 'must contain only upper-case letters and digits (no spaces, no lower case)';
  if (!SHAPE.test(value)) {
    return 'must be 4 letters (institution), 2 letters (country), 2 letters or digits (location) and an optional 3-character branch';
  }
  const country = value.slice(4, 6);
  if (!ISO_3166_1_ALPHA_2.has(country) && !BIC_NON_ISO_COUNTRY_CODES.has(country)) {
    return `country ${country} is not an ISO 3166-1 country code`;
  }
  return null;
}

export function isValidBic(value: unknown): value is string {
  return validateBic(value) === null;
}

export function assertBic(value: unknown, field = 'bic'): string {
  const reason = validateBic(value);
  if (reason !== null) throw DomainError.invalid(field, reason);
  return value as string;
}

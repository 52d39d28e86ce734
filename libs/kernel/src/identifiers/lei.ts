import { DomainError } from '../errors';
import { expandLetters, mod97 } from './check-digits';

const SHAPE = /^[A-Z0-9]{18}[0-9]{2}$/;

/** The reason `value` is not an LEI in canonical form, or null when it is one. */
export function validateLei(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (value.length !== 20) return `must be 20 characters, got ${value.length}`;
  if (!/^[A-Z0-9]+$/.test(value)) return 'must contain only upper-case letters and digits (no spaces, no lower case)';
  if (!SHAPE.test(value)) return 'must end with two check digits';
  if (mod97(expandLetters(value)) !== 1) return 'check digits do not match (ISO 7064 MOD 97-10)';
  return null;
}

export function isValidLei(value: unknown): value is string {
  return validateLei(value) === null;
}

export function assertLei(value: unknown, field = 'lei'): string {
  const reason = validateLei(value);
  if (reason !== null) throw DomainError.invalid(field, reason);
  return value as string;
}

import { DomainError } from '../errors';

/**
 * ISO 10383 market identifier code: four upper-case letters or digits. Most start with a letter
 * (XNYS, XLON) but not all (360T), so only the shape is checked; whether the venue exists is
 * reference data, not format.
 */
export function validateMic(value: unknown): string | null {
  if (typeof value !== 'string') return 'must be a string';
  if (!/^[A-Z0-9]{4}$/.test(value)) return 'must be 4 upper-case letters or digits';
  return null;
}

export function isValidMic(value: unknown): value is string {
  return validateMic(value) === null;
}

export function assertMic(value: unknown, field = 'mic'): string {
  const reason = validateMic(value);
  if (reason !== null) throw DomainError.invalid(field, reason);
  return value as string;
}

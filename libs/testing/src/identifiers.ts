import { randomUUID } from 'node:crypto';
import { leiWithCheckDigits } from '@postrade/kernel';

/** A valid LEI that no other test run uses. */
export function freshLei(): string {
  return leiWithCheckDigits(`5493${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`);
}

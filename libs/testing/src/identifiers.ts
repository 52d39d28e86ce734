import { randomUUID } from 'node:crypto';

/** ISO 17442 check digits (MOD 97-10) for an 18-character LEI prefix. */
export function leiWithCheckDigits(prefix: string): string {
  const numeric = BigInt(`${prefix}00`.replace(/[A-Z]/g, (c) => String(c.charCodeAt(0) - 55)));
  return `${prefix}${String(98n - (numeric % 97n)).padStart(2, '0')}`;
}

/** A valid LEI that no other test run uses. */
export function freshLei(): string {
  return leiWithCheckDigits(`5493${randomUUID().replace(/-/g, '').slice(0, 14).toUpperCase()}`);
}

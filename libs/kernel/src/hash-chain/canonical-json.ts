import { createHash } from 'node:crypto';
import { Decimal } from '../decimal';

/**
 * JSON with object keys sorted at every level and decimals written by value, so that equal
 * content always hashes alike: key order, "1000.50" against "1000.5" as Decimals, or a Date
 * against its ISO string change nothing. Fields that are undefined are left out (as JSON.stringify
 * does); an undefined value on its own or in an array is written as null.
 *
 * Strings stay as spelled: a decimal held as a string is the caller's to normalise (the ledger
 * hashes its posting amounts as Decimals for that reason).
 */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (Decimal.isDecimal(value)) return JSON.stringify((value as Decimal).toFixed());
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  // A value that says how it is written (a Date) is hashed as it would be stored.
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return canonicalJson((value as { toJSON: () => unknown }).toJSON());
  const record = value as Record<string, unknown>;
  const fields = Object.keys(record)
    .filter((key) => record[key] !== undefined)
    .sort()
    .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
  return `{${fields.join(',')}}`;
}

/** sha256 of a value's canonical JSON, hex: the hash every chained record of the platform uses. */
export function sha256OfCanonicalJson(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}

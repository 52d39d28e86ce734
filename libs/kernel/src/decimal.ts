import DecimalJs from 'decimal.js';
import { DomainError } from './errors';

/**
 * The project's one exact decimal type. Money, prices and quantities are Decimals end to end;
 * a JS number never holds one of them.
 *
 * 50 significant digits: decimal.js rounds the result of every operation (plus and times too,
 * not only division) to `precision`, so it must exceed the widest product we form (a quantity of
 * up to 18 integer digits times a price with 10 decimals still fits with room to spare).
 * ROUND_HALF_UP in decimal.js rounds ties away from zero, which is what the business calls
 * "half-up" for negative amounts too (-0.005 → -0.01).
 * The exponent thresholds are pushed out so that toString() never switches to exponent
 * notation: a decimal string that reaches JSON, a database or a log must be plain.
 */
export const Decimal = DecimalJs.clone({
  precision: 50,
  rounding: DecimalJs.ROUND_HALF_UP,
  toExpNeg: -9e15,
  toExpPos: 9e15,
});

export type Decimal = DecimalJs;

const CANONICAL_DECIMAL = /^-?\d+(\.\d+)?$/;

export function isDecimalString(value: unknown): value is string {
  return typeof value === 'string' && CANONICAL_DECIMAL.test(value);
}

/** How many digits a decimal string may have on each side of the point. */
export interface DecimalDigits {
  integerDigits: number;
  fractionDigits: number;
}

/**
 * What an input decimal may hold unless its field says otherwise: enough for any quantity, price
 * or amount the platform books (below 10^18, and finer than any price tick), and small enough
 * that parsing and arithmetic on it cost nothing.
 */
export const DEFAULT_DECIMAL_DIGITS: DecimalDigits = { integerDigits: 18, fractionDigits: 12 };

/** What {@link checkDecimalString} found. */
export type DecimalStringCheck = 'ok' | 'not-a-decimal-string' | 'too-many-digits';

/**
 * Checks an input decimal string against `digits` (counted as written: leading and trailing zeros
 * count). The length is compared first, before any pattern: a 400,000-digit "quantity" is refused
 * by comparing two numbers, never scanned or handed to the decimal library, which would block the
 * process for seconds. Use it wherever a decimal enters from outside (REST, Kafka, files).
 */
export function checkDecimalString(value: unknown, digits: DecimalDigits = DEFAULT_DECIMAL_DIGITS): DecimalStringCheck {
  if (typeof value !== 'string') return 'not-a-decimal-string';
  const longestAllowed = '-'.length + digits.integerDigits + '.'.length + digits.fractionDigits;
  if (value.length > longestAllowed) return 'too-many-digits';
  if (!CANONICAL_DECIMAL.test(value)) return 'not-a-decimal-string';
  const [integerPart, fractionPart = ''] = value.replace(/^-/, '').split('.');
  return integerPart.length > digits.integerDigits || fractionPart.length > digits.fractionDigits ? 'too-many-digits' : 'ok';
}

/** A canonical decimal string within `digits` (18 integer and 12 fractional digits by default). */
export function isBoundedDecimalString(value: unknown, digits: DecimalDigits = DEFAULT_DECIMAL_DIGITS): value is string {
  return checkDecimalString(value, digits) === 'ok';
}

/**
 * Parses the canonical wire form of a decimal: optional minus, digits, optional fraction.
 * Everything else ('', ' 1', '1e5', '+1', '.5', '1.', 'NaN', a JS number) is rejected rather
 * than coerced, because a value we have to guess at is a value we may book wrongly.
 */
export function parseDecimal(value: string, field = 'value'): Decimal {
  if (typeof value !== 'string') {
    throw DomainError.invalid(field, 'must be a decimal string such as "189.25", not a number');
  }
  if (!CANONICAL_DECIMAL.test(value)) {
    throw DomainError.invalid(field, `"${value}" is not a decimal string (digits, optional "-" and "." fraction)`);
  }
  return new Decimal(value);
}

/** Digits after the point as written, trailing zeros included: the scale the sender used. */
export function decimalPlaces(value: string): number {
  if (!isDecimalString(value)) {
    throw DomainError.invalid('value', `"${value}" is not a decimal string`);
  }
  const point = value.indexOf('.');
  return point < 0 ? 0 : value.length - point - 1;
}

/**
 * Plain notation, never an exponent. With `dp` the value is rounded half-up to exactly that many
 * decimals. A zero never carries a sign: "-0.00" would read as a debit of nothing.
 */
export function toDecimalString(value: Decimal, dp?: number): string {
  if (!value.isFinite()) {
    throw DomainError.invalid('value', 'is not a finite decimal');
  }
  const text = dp === undefined ? value.toFixed() : value.toFixed(dp, Decimal.ROUND_HALF_UP);
  return text.startsWith('-') && /^-[0.]+$/.test(text) ? text.slice(1) : text;
}

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

import { Decimal } from './decimal';
import { DomainError } from './errors';

/** Up to and including this absolute amount the small matching tolerance applies. */
export const SETTLEMENT_AMOUNT_TOLERANCE_THRESHOLD: Decimal = new Decimal(100_000);
const SMALL_AMOUNT_TOLERANCE = new Decimal(2);
const LARGE_AMOUNT_TOLERANCE = new Decimal(25);

/**
 * The market's matching tolerance on a settlement amount (the ESMA/T2S convention the business
 * uses): 2 units of the currency when |amount| ≤ 100,000, 25 above. Confirmation matching and
 * reconciliation must apply the same figure, so it lives here once.
 */
export function settlementAmountTolerance(amount: Decimal): Decimal {
  return amount.abs().lte(SETTLEMENT_AMOUNT_TOLERANCE_THRESHOLD) ? SMALL_AMOUNT_TOLERANCE : LARGE_AMOUNT_TOLERANCE;
}

/**
 * Equality on decimal.js's published representation (`s` sign, `e` exponent, `d` base-1e7 digit
 * words without trailing zero words), as Decimal#eq decides it but without the copy of its argument
 * that eq makes: reconciling a million lines compares two million pairs, mostly equal.
 */
function sameValue(a: Decimal, b: Decimal): boolean {
  const [x, y] = [a.d, b.d];
  if (!x || !y) return a.eq(b); // NaN or ±Infinity: leave it to decimal.js
  if (x[0] === 0 || y[0] === 0) return x[0] === y[0]; // ±0 are equal
  if (a.s !== b.s || a.e !== b.e || x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * True when the two values differ by at most `tolerance`: tolerances are inclusive, a difference
 * exactly at the tolerance still agrees. A negative tolerance is a configuration error, not "never".
 */
export function withinTolerance(ours: Decimal, theirs: Decimal, tolerance: Decimal): boolean {
  if (tolerance.isNegative() && !tolerance.isZero()) throw DomainError.invalid('tolerance', 'must be zero or more');
  // Equal values are the common case and need no arithmetic (nor the garbage it leaves).
  return sameValue(ours, theirs) || ours.minus(theirs).abs().lte(tolerance);
}

import { Decimal, DomainError, isCurrency, minorUnits, toDecimalString } from '@postrade/kernel';
import type { Account } from './accounts';

/**
 * One posting of a journal entry as the domain computes it: a signed amount of one asset on one
 * account, positive for a debit and negative for a credit. Signed amounts make "the difference
 * between two bookings" and "the reversal of a booking" plain arithmetic.
 */
export interface Leg {
  account: Account;
  /** A currency code or an ISIN. */
  asset: string;
  amount: Decimal;
}

export function leg(account: Account, asset: string, amount: Decimal): Leg {
  return { account, asset, amount };
}

/** Merges legs on the same account and asset, in order of first appearance, and drops zeros. */
export function netLegs(legs: readonly Leg[]): Leg[] {
  const byKey = new Map<string, Leg>();
  for (const l of legs) {
    const key = `${l.account.code}\u0000${l.asset}`;
    const seen = byKey.get(key);
    byKey.set(key, seen ? { ...seen, amount: seen.amount.plus(l.amount) } : { ...l });
  }
  return [...byKey.values()].filter((l) => !l.amount.isZero());
}

export function negateLegs(legs: readonly Leg[]): Leg[] {
  return legs.map((l) => ({ ...l, amount: l.amount.negated() }));
}

/** `later − earlier`: what must be booked to turn one booking into the other. */
export function differenceOf(later: readonly Leg[], earlier: readonly Leg[]): Leg[] {
  return netLegs([...later, ...negateLegs(earlier)]);
}

/** The assets whose debits and credits differ, with the difference (debits − credits). */
export function imbalances(legs: readonly Leg[]): Map<string, Decimal> {
  const sums = new Map<string, Decimal>();
  for (const l of legs) sums.set(l.asset, (sums.get(l.asset) ?? new Decimal(0)).plus(l.amount));
  return new Map([...sums].filter(([, sum]) => !sum.isZero()));
}

/** Double entry per asset: refuses legs whose debits and credits differ in any asset. */
export function assertBalancedPerAsset(legs: readonly Leg[]): void {
  const off = imbalances(legs);
  if (off.size > 0) {
    const detail = [...off].map(([asset, sum]) => `${asset} off by ${toDecimalString(sum)}`).join(', ');
    throw DomainError.unprocessable(`journal entry does not balance per asset: ${detail}`, [{ field: 'postings', message: detail }]);
  }
}

/**
 * An amount of a currency at its minor unit ("189261.20"); a quantity of securities as it is
 * ("1000"). Amounts reach the ledger already at the minor unit (the input mapping refuses finer
 * ones), so the rounding here only pads.
 */
export function amountIn(asset: string, value: Decimal | string): string {
  const decimal = typeof value === 'string' ? new Decimal(value) : value;
  return isCurrency(asset) ? toDecimalString(decimal, minorUnits(asset)) : toDecimalString(decimal);
}

/** The debit/credit rendering of a leg: one side carries the magnitude, the other zero. */
export function debitAndCredit(asset: string, amount: Decimal): { debit: string; credit: string } {
  const zero = amountIn(asset, '0');
  return amount.isNegative() ? { debit: zero, credit: amountIn(asset, amount.negated()) } : { debit: amountIn(asset, amount), credit: zero };
}

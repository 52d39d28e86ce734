import { Decimal, withinTolerance } from '@postrade/kernel';
import type { ReconciliationOutcome } from '../model';
import { decimalString, field, MATCH_RULES, mentionedIn, OutcomeBuilder } from './outcome';

/** A balance under its key (an ISIN's quantity, a currency's amount), summed over the lines that carry it. */
export interface Balance {
  value: Decimal;
}

export interface BalanceKind {
  type: 'POSITION' | 'CASH';
  keyField: 'isin' | 'currency';
  valueField: 'quantity' | 'amount';
  prefix: string;
  equalRule: typeof MATCH_RULES.POSITION_EQUAL | typeof MATCH_RULES.CASH_EQUAL;
  toleranceRule: typeof MATCH_RULES.POSITION_WITHIN_TOLERANCE | typeof MATCH_RULES.CASH_WITHIN_TOLERANCE;
  /** The tolerance given our balance (null when we have none) and theirs. */
  tolerance(ours: Decimal | null, theirs: Decimal | null): Decimal;
}

/** Sums values per key in one pass: duplicate lines of one ISIN (e.g. per sub-position) add up. */
export function sumByKey<T>(items: readonly T[], key: (item: T) => string, value: (item: T) => Decimal): Map<string, Balance> {
  const sums = new Map<string, Balance>();
  for (const item of items) {
    const k = key(item);
    const sum = sums.get(k);
    if (sum === undefined) sums.set(k, { value: value(item) });
    else sum.value = sum.value.plus(value(item));
  }
  return sums;
}

/**
 * Positions and cash are the same comparison: a balance per key on each side, where a zero is the
 * same as no line at all (a custodian omits flat positions; we may still carry a zero row).
 */
export function reconcileBalances(
  kind: BalanceKind,
  ours: Map<string, Balance>,
  theirs: Map<string, Balance>,
  linesCompared: number,
  openBreakKeys: ReadonlySet<string>,
): ReconciliationOutcome {
  const outcome = new OutcomeBuilder(kind.type, linesCompared);
  const compare = (key: string, our: Balance | undefined, their: Balance | undefined) => {
    const keyString = `${kind.prefix}${key}`;
    const ourValue = our !== undefined && !our.value.isZero() ? our.value : null;
    const theirValue = their !== undefined && !their.value.isZero() ? their.value : null;
    const zero = new Decimal(0);
    const o = ourValue ?? zero;
    const t = theirValue ?? zero;
    if (ourValue === null && theirValue === null) {
      outcome.agree(keyString);
      return;
    }
    if (withinTolerance(o, t, kind.tolerance(ourValue, theirValue))) {
      outcome.match(o.eq(t) ? kind.equalRule : kind.toleranceRule, our !== undefined ? [key] : [], their !== undefined ? [key] : []);
      outcome.agree(keyString);
      return;
    }
    const record = (value: Decimal | null) => (value === null ? null : { [kind.keyField]: key, [kind.valueField]: decimalString(value) });
    const reason = ourValue === null ? 'MISSING_OURS' : theirValue === null ? 'MISSING_THEIRS' : 'DIFFERENT';
    outcome.break({
      reason,
      key: { [kind.keyField]: key },
      keyString,
      ours: record(ourValue),
      theirs: record(theirValue),
      difference: decimalString(t.minus(o)),
      fields: reason === 'DIFFERENT' ? [field(kind.valueField, decimalString(o), decimalString(t))] : [],
    });
  };
  for (const [key, their] of theirs) compare(key, ours.get(key), their);
  for (const [key, our] of ours) if (!theirs.has(key)) compare(key, our, undefined);
  return outcome.build(openBreakKeys, [kind.prefix], (keys) => mentionedIn(keys, kind.prefix, (key) => ours.has(key) || theirs.has(key)));
}

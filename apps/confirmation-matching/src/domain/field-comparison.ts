import { Decimal } from '@postrade/kernel';
import type { MatchBreak } from '@postrade/contracts';
import { reasonCodeFor } from './break-reason';
import type { FieldRule } from './matching-profile';

/**
 * Compares our value of one field with theirs under its rule; a difference beyond the tolerance is
 * a break. Tolerances are inclusive: a difference exactly at the tolerance still matches.
 * `ourNetAmount` chooses the tier of a tiered ABSOLUTE rule (the settlement-amount rule).
 */
export function compareField(rule: FieldRule, ours: string, theirs: string, ourNetAmount: string): MatchBreak | null {
  if (rule.rule === 'IGNORE') return null;
  const breakOf = (tolerance: string | null): MatchBreak => ({
    field: rule.field,
    ours,
    theirs,
    rule: rule.rule,
    tolerance,
    reasonCode: reasonCodeFor(rule.field),
  });
  if (rule.field === 'settlementDate') return ours === theirs ? null : breakOf(null);
  // The same text is the same value, a difference of zero, within every (non-negative) tolerance.
  if (ours === theirs) return null;

  const ourValue = new Decimal(ours);
  const difference = ourValue.minus(theirs).abs();
  switch (rule.rule) {
    case 'EXACT':
      return difference.isZero() ? null : breakOf(null);
    case 'PERCENT': {
      const allowed = ourValue.abs().times(rule.tolerance!).dividedBy(100);
      return difference.lte(allowed) ? null : breakOf(`${rule.tolerance}%`);
    }
    case 'PERCENT_CAPPED': {
      const allowed = Decimal.min(ourValue.abs().times(rule.tolerance!).dividedBy(100), rule.cap!);
      return difference.lte(allowed) ? null : breakOf(`${rule.tolerance}% capped at ${rule.cap}`);
    }
    case 'ABSOLUTE': {
      const tolerance = absoluteTolerance(rule, ourNetAmount);
      return difference.lte(tolerance) ? null : breakOf(tolerance);
    }
  }
}

/** The tolerance of the highest tier our net amount is above, else the rule's own. */
export function absoluteTolerance(rule: FieldRule, ourNetAmount: string): string {
  const net = new Decimal(ourNetAmount).abs();
  let chosen = { above: new Decimal(-1), tolerance: rule.tolerance! };
  for (const tier of rule.tiers ?? []) {
    if (net.gt(tier.above) && new Decimal(tier.above).gt(chosen.above)) chosen = { above: new Decimal(tier.above), tolerance: tier.tolerance };
  }
  return chosen.tolerance;
}

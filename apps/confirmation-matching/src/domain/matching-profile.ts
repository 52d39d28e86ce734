import { Decimal, DomainError, isDecimalString, type FieldError } from '@postrade/kernel';
import { MATCHING_RULES, type MatchingRule } from '@postrade/contracts';

/** The level-2 fields a profile can rule on: API field names of the trade and the confirmation. */
export const COMPARED_FIELDS = ['settlementDate', 'price', 'grossAmount', 'netAmount', 'accruedInterest', 'commission', 'fees'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

const DATE_FIELDS: readonly ComparedField[] = ['settlementDate'];

/** Above `above` (our net amount, exclusive), the tolerance becomes `tolerance`. */
export interface ToleranceTier {
  above: string;
  tolerance: string;
}

/**
 * How one field is compared. `tolerance` is a percentage for PERCENT and PERCENT_CAPPED, an amount
 * in units of the trade's currency (or of price) for ABSOLUTE; `cap` bounds PERCENT_CAPPED; `tiers`
 * raise an ABSOLUTE tolerance with the size of our net amount (the settlement-amount rule).
 */
export interface FieldRule {
  field: ComparedField;
  rule: MatchingRule;
  tolerance?: string;
  cap?: string;
  tiers?: ToleranceTier[];
}

export interface MatchingProfile {
  name: string;
  rules: FieldRule[];
  autoAffirm: boolean;
  /**
   * Maker-checker: a force-match or a manual affirm of a pair under this profile is a proposal
   * until someone other than its proposer approves it. On unless a profile turns it off.
   */
  fourEyes: boolean;
  /** LEIs of the counterparties this profile applies to (they win over currencies). */
  counterparties: string[];
  /** Currencies this profile applies to when no counterparty profile does. */
  currencies: string[];
  /** Increases with every change, so that a re-evaluation under a changed profile is noticed. */
  revision: number;
}

export const DEFAULT_PROFILE_NAME = 'DEFAULT';

/**
 * DOMAIN.md's default: settlement date EXACT, price PERCENT 0, net amount by the settlement-amount
 * rule (2 units up to a net amount of 100,000, 25 above), gross amount IGNORE, auto-affirm on.
 * Accrued interest is part of the net amount, so it gets the net amount's tolerance. Commission
 * and fees are not named, so ignored (a profile may name them).
 */
export function defaultProfile(): MatchingProfile {
  const settlementAmountRule = (field: ComparedField): FieldRule => ({
    field,
    rule: 'ABSOLUTE',
    tolerance: '2',
    tiers: [{ above: '100000', tolerance: '25' }],
  });
  return {
    name: DEFAULT_PROFILE_NAME,
    rules: [
      { field: 'settlementDate', rule: 'EXACT' },
      { field: 'price', rule: 'PERCENT', tolerance: '0' },
      settlementAmountRule('netAmount'),
      { field: 'grossAmount', rule: 'IGNORE' },
      settlementAmountRule('accruedInterest'),
    ],
    autoAffirm: true,
    fourEyes: true,
    counterparties: [],
    currencies: [],
    revision: 1,
  };
}

/** The rule a profile applies to a field; a field the profile does not name is ignored. */
export function ruleFor(profile: MatchingProfile, field: ComparedField): FieldRule {
  return profile.rules.find((r) => r.field === field) ?? { field, rule: 'IGNORE' };
}

/** Profile precedence: the counterparty's, then the currency's, then the default. */
export function selectProfile(profiles: readonly MatchingProfile[], counterpartyLei: string, currency: string): MatchingProfile {
  return (
    profiles.find((p) => p.counterparties.includes(counterpartyLei)) ??
    profiles.find((p) => p.currencies.includes(currency)) ??
    profiles.find((p) => p.name === DEFAULT_PROFILE_NAME) ??
    defaultProfile()
  );
}

const nonNegative = (value: string | undefined): boolean => value !== undefined && isDecimalString(value) && !new Decimal(value).isNegative();

/** Checks that each rule carries what it needs, naming the offending field as `rules[i].tolerance`. */
export function validateRules(rules: readonly FieldRule[]): void {
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  rules.forEach((rule, i) => {
    const at = `rules[${i}]`;
    if (!(COMPARED_FIELDS as readonly string[]).includes(rule.field)) {
      errors.push({ field: `${at}.field`, message: `must be one of ${COMPARED_FIELDS.join(', ')}` });
      return;
    }
    if (seen.has(rule.field)) errors.push({ field: `${at}.field`, message: `${rule.field} has more than one rule` });
    seen.add(rule.field);
    if (!(MATCHING_RULES as readonly string[]).includes(rule.rule)) {
      errors.push({ field: `${at}.rule`, message: `must be one of ${MATCHING_RULES.join(', ')}` });
      return;
    }
    if (DATE_FIELDS.includes(rule.field) && rule.rule !== 'EXACT' && rule.rule !== 'IGNORE') {
      errors.push({ field: `${at}.rule`, message: `${rule.field} is a date: EXACT or IGNORE` });
    }
    const needsTolerance = rule.rule === 'PERCENT' || rule.rule === 'PERCENT_CAPPED' || rule.rule === 'ABSOLUTE';
    if (needsTolerance && !nonNegative(rule.tolerance)) errors.push({ field: `${at}.tolerance`, message: 'must be a non-negative decimal string' });
    if (!needsTolerance && rule.tolerance !== undefined) errors.push({ field: `${at}.tolerance`, message: `${rule.rule} takes no tolerance` });
    if (rule.rule === 'PERCENT_CAPPED' && !nonNegative(rule.cap)) errors.push({ field: `${at}.cap`, message: 'must be a non-negative decimal string' });
    if (rule.rule !== 'PERCENT_CAPPED' && rule.cap !== undefined) errors.push({ field: `${at}.cap`, message: 'only PERCENT_CAPPED takes a cap' });
    if (rule.tiers !== undefined && rule.rule !== 'ABSOLUTE') errors.push({ field: `${at}.tiers`, message: 'only ABSOLUTE takes tiers' });
    (rule.tiers ?? []).forEach((tier, j) => {
      if (!nonNegative(tier.above)) errors.push({ field: `${at}.tiers[${j}].above`, message: 'must be a non-negative decimal string' });
      if (!nonNegative(tier.tolerance)) errors.push({ field: `${at}.tiers[${j}].tolerance`, message: 'must be a non-negative decimal string' });
    });
  });
  if (errors.length > 0) throw DomainError.invalidFields(errors);
}

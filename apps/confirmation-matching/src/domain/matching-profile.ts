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

/** What a proposed change defines: a profile without the revision the store gives it. */
export type ProfileDefinition = Omit<MatchingProfile, 'revision'>;

/** The fields an auto-affirming profile must compare: without one, every level-1 pair would be affirmed whatever its economics. */
export const AUTO_AFFIRM_REQUIRED_FIELDS: readonly ComparedField[] = ['price', 'netAmount'];

/** A percentage tolerance of 100 or more accepts every value of the same sign: it compares nothing. */
const UNBOUNDED_PERCENT = new Decimal(100);

/**
 * A rule that can refuse a pair: EXACT, ABSOLUTE, or a percentage below 100 (PERCENT_CAPPED is
 * bounded by its percentage as well as by its cap, so its percentage decides too). IGNORE, and a
 * percentage of 100 or more, accept every value.
 */
export function compares(rule: FieldRule): boolean {
  if (rule.rule === 'IGNORE') return false;
  if (rule.rule === 'PERCENT' || rule.rule === 'PERCENT_CAPPED') return rule.tolerance !== undefined && isDecimalString(rule.tolerance) && new Decimal(rule.tolerance).lt(UNBOUNDED_PERCENT);
  return true;
}

/**
 * Checks a whole profile before it may be proposed: each rule as {@link validateRules} does, then
 * the policy that keeps a profile from affirming (or matching) everything:
 * - `rules`: at least one rule (a profile without rules ignores every field);
 * - `rules[i].tolerance`: a PERCENT or PERCENT_CAPPED tolerance below 100 (100 % or more accepts
 *   every value of the same sign);
 * - `rules`: at least one rule that compares (not every rule IGNORE);
 * - `autoAffirm`: an auto-affirming profile compares `price` or `netAmount` (EXACT, ABSOLUTE, or a
 *   percentage below 100), else it would affirm every pair that agrees on the level-1 terms alone.
 */
export function validateProfile(definition: Pick<ProfileDefinition, 'rules' | 'autoAffirm'>): void {
  if (definition.rules.length === 0) throw DomainError.invalidFields([{ field: 'rules', message: 'a profile needs at least one rule: without one it compares nothing and matches every pair' }]);
  validateRules(definition.rules);
  const errors: FieldError[] = [];
  definition.rules.forEach((rule, i) => {
    if ((rule.rule === 'PERCENT' || rule.rule === 'PERCENT_CAPPED') && !new Decimal(rule.tolerance!).lt(UNBOUNDED_PERCENT)) {
      errors.push({ field: `rules[${i}].tolerance`, message: 'must be below 100: a tolerance of 100 % or more accepts every value' });
    }
  });
  if (errors.length > 0) throw DomainError.invalidFields(errors);
  if (!definition.rules.some(compares)) {
    throw DomainError.invalidFields([{ field: 'rules', message: 'every rule is IGNORE: the profile would match every pair that pairs at level 1' }]);
  }
  if (definition.autoAffirm && !definition.rules.some((r) => AUTO_AFFIRM_REQUIRED_FIELDS.includes(r.field) && compares(r))) {
    throw DomainError.invalidFields([
      { field: 'autoAffirm', message: `an auto-affirming profile must compare ${AUTO_AFFIRM_REQUIRED_FIELDS.join(' or ')}: without it every level-1 pair would be affirmed` },
    ]);
  }
}

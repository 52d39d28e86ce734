import { Decimal, DomainError, LocalDate, toDecimalString } from '@postrade/kernel';
import { restrictedListEntry, type RestrictedListEntry } from './restricted-list';

export const CONTROL_CHANGE_KINDS = ['RESTRICTION', 'RESTRICTION_REMOVAL', 'EXPOSURE_LIMIT', 'LARGE_TRADER_THRESHOLDS'] as const;
export type ControlChangeKind = (typeof CONTROL_CHANGE_KINDS)[number];
export const CONTROL_CHANGE_STATUSES = ['PENDING', 'APPROVED', 'DECLINED'] as const;
export type ControlChangeStatus = (typeof CONTROL_CHANGE_STATUSES)[number];

/** An exposure limit of a counterparty in a currency, in force from a date. */
export interface ExposureLimitSetting {
  counterpartyLei: string;
  currency: string;
  limit: string;
  effectiveFrom: string;
}

/** SEC 13h-1 identifying-activity thresholds per book and trade date, in force from a date. */
export interface LargeTraderThresholds {
  shares: string;
  usdNotional: string;
  effectiveFrom: string;
}

/** The rule's own figures: in force until a change says otherwise. */
export const DEFAULT_LARGE_TRADER_THRESHOLDS: LargeTraderThresholds = { shares: '2000000', usdNotional: '20000000', effectiveFrom: '1970-01-01' };

/** What a change sets: the entry, nothing (a removal), the limit or the thresholds. */
export type ControlChangeProposal =
  | { kind: 'RESTRICTION'; entry: RestrictedListEntry }
  | { kind: 'RESTRICTION_REMOVAL'; isin: string }
  | { kind: 'EXPOSURE_LIMIT'; limit: ExposureLimitSetting }
  | { kind: 'LARGE_TRADER_THRESHOLDS'; thresholds: LargeTraderThresholds };

/**
 * A proposed change to the restricted/watch list, an exposure limit or the large-trader
 * thresholds (maker), applied only when a supervisor other than the proposer approves it
 * (checker). `before` is what was in force when it was proposed, `proposed` what it sets (null for
 * a removal); `effectiveFrom` the day it takes effect (a restriction's own `from`).
 */
export interface ControlChange {
  changeId: string;
  kind: ControlChangeKind;
  /** What it changes: `restricted-list/{isin}`, `limits/{lei}/{currency}` or `large-trader-thresholds`; one pending change per target. */
  target: string;
  proposed: RestrictedListEntry | ExposureLimitSetting | LargeTraderThresholds | null;
  before: RestrictedListEntry | ExposureLimitSetting | LargeTraderThresholds | null;
  effectiveFrom: string;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  status: ControlChangeStatus;
  decidedBy: string | null;
  decidedAt: string | null;
}

export const restrictionTarget = (isin: string) => `restricted-list/${isin}`;
export const limitTarget = (counterpartyLei: string, currency: string) => `limits/${counterpartyLei}/${currency}`;
export const THRESHOLDS_TARGET = 'large-trader-thresholds';

/**
 * Checks a proposal and says what it changes. Limits and thresholds take effect on `effectiveFrom`,
 * which may not be before `today` (what was in force is never rewritten); a restriction carries its
 * own dates.
 */
export function validateProposal(proposal: ControlChangeProposal, today: string): { target: string; proposed: ControlChange['proposed']; effectiveFrom: string } {
  switch (proposal.kind) {
    case 'RESTRICTION': {
      const entry = restrictedListEntry(proposal.entry);
      return { target: restrictionTarget(entry.isin), proposed: entry, effectiveFrom: entry.from };
    }
    case 'RESTRICTION_REMOVAL':
      return { target: restrictionTarget(proposal.isin), proposed: null, effectiveFrom: today };
    case 'EXPOSURE_LIMIT': {
      const { limit } = proposal;
      notBefore(limit.effectiveFrom, today);
      if (new Decimal(limit.limit).isNegative()) throw DomainError.invalid('limit', 'must not be negative');
      return { target: limitTarget(limit.counterpartyLei, limit.currency), proposed: { ...limit, limit: toDecimalString(new Decimal(limit.limit)) }, effectiveFrom: limit.effectiveFrom };
    }
    case 'LARGE_TRADER_THRESHOLDS': {
      const { thresholds } = proposal;
      notBefore(thresholds.effectiveFrom, today);
      const shares = new Decimal(thresholds.shares);
      const usdNotional = new Decimal(thresholds.usdNotional);
      if (!shares.gt(0) || !shares.isInteger()) throw DomainError.invalid('shares', 'must be a whole number of shares above 0');
      if (!usdNotional.gt(0)) throw DomainError.invalid('usdNotional', 'must be above 0');
      return { target: THRESHOLDS_TARGET, proposed: { shares: toDecimalString(shares), usdNotional: toDecimalString(usdNotional), effectiveFrom: thresholds.effectiveFrom }, effectiveFrom: thresholds.effectiveFrom };
    }
  }
}

function notBefore(effectiveFrom: string, today: string): void {
  if (LocalDate.compare(effectiveFrom, today) < 0) throw DomainError.invalid('effectiveFrom', `must not be before today (${today}): what was in force is not rewritten`);
}

/** The checker decides: a supervisor other than the proposer approves (403 for the proposer), once (409). */
export function decideChange(change: ControlChange, status: 'APPROVED' | 'DECLINED', by: string, at: string): ControlChange {
  if (status === 'APPROVED' && change.proposedBy === by) throw DomainError.forbidden('the proposer of a change cannot approve it: a second person must');
  if (change.status !== 'PENDING') throw DomainError.conflict(`change ${change.changeId} is already ${change.status}`, 'change-decided');
  return { ...change, status, decidedBy: by, decidedAt: at };
}

/** The thresholds in force on `date` among `periods` (any order); the rule's defaults before the first. */
export function thresholdsOn(periods: readonly LargeTraderThresholds[], date: string): LargeTraderThresholds {
  let found: LargeTraderThresholds = DEFAULT_LARGE_TRADER_THRESHOLDS;
  for (const p of periods) if (LocalDate.compare(p.effectiveFrom, date) <= 0 && LocalDate.compare(p.effectiveFrom, found.effectiveFrom) >= 0) found = p;
  return found;
}

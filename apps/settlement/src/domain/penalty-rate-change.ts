import { DomainError, LocalDate, parseDecimal } from '@postrade/kernel';
import type { CashPenaltyRate } from './penalty';

export type CashPenaltyRateChangeStatus = 'PENDING' | 'APPROVED' | 'DECLINED';

/**
 * A proposed change to a currency's cash penalty rate (the central bank's overnight credit rate,
 * annual percent), effective from a date. Four eyes: ops or a supervisor proposes, a supervisor other
 * than the proposer approves or declines. Only approved changes are rates; every change is kept.
 */
export interface CashPenaltyRateChange {
  changeId: string;
  currency: string;
  effectiveFrom: LocalDate;
  annualPercent: string;
  reason: string | null;
  status: CashPenaltyRateChangeStatus;
  proposedBy: string;
  proposedAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** A proposal must be a valid date and a decimal percentage; a negative one is kept (the floor applies when it is used). */
export function assertProposal(proposal: { effectiveFrom: string; annualPercent: string }): void {
  LocalDate.parse(proposal.effectiveFrom, 'effectiveFrom');
  parseDecimal(proposal.annualPercent, 'annualPercent');
}

/** The checker approves: never the proposer (403), and only a pending change (409). */
export function approveChange(change: CashPenaltyRateChange, approver: string, at: string): CashPenaltyRateChange {
  if (change.proposedBy === approver) throw DomainError.forbidden('the proposer of a rate change cannot approve it: a second person must');
  return decide(change, 'APPROVED', approver, at);
}

export function declineChange(change: CashPenaltyRateChange, by: string, at: string): CashPenaltyRateChange {
  return decide(change, 'DECLINED', by, at);
}

function decide(change: CashPenaltyRateChange, status: 'APPROVED' | 'DECLINED', by: string, at: string): CashPenaltyRateChange {
  if (change.status !== 'PENDING') throw DomainError.conflict(`rate change ${change.changeId} is already ${change.status}`, 'rate-change-decided');
  return { ...change, status, decidedBy: by, decidedAt: at };
}

/**
 * The rates in force, from the changes: approved ones only, and for one currency and effective date
 * the last approved (a correction of a rate replaces it from its date, the earlier approval staying
 * in the history). Sorted by currency and date, as `effectiveOn` takes them.
 */
export function ratesOf(changes: readonly CashPenaltyRateChange[]): CashPenaltyRate[] {
  const latest = new Map<string, CashPenaltyRateChange>();
  for (const change of changes) {
    if (change.status !== 'APPROVED') continue;
    const key = `${change.currency} ${change.effectiveFrom}`;
    const seen = latest.get(key);
    if (seen === undefined || (seen.decidedAt ?? '') < (change.decidedAt ?? '') || ((seen.decidedAt ?? '') === (change.decidedAt ?? '') && seen.changeId < change.changeId)) latest.set(key, change);
  }
  return [...latest.values()]
    .map((c) => ({ currency: c.currency, effectiveFrom: c.effectiveFrom, annualPercent: c.annualPercent }))
    .sort((a, b) => (a.currency === b.currency ? (a.effectiveFrom < b.effectiveFrom ? -1 : 1) : a.currency < b.currency ? -1 : 1));
}

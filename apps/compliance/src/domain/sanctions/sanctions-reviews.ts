import { createHash } from 'node:crypto';
import { canonicalJson, DomainError } from '@postrade/kernel';
import type { SanctionsEntry } from './sanctions-index';

export type ReviewStatus = 'PENDING' | 'APPROVED' | 'DECLINED';

/**
 * A false-positive ("good guy") decision: counterparty X is not entry Y of list version V. Ops or a
 * supervisor proposes it, a supervisor other than the proposer approves it. While approved, and as
 * long as the counterparty's names and the entry are those fingerprinted at the proposal, a hit of
 * the counterparty on the entry holds no trade (it is still shown, as a MEDIUM alert).
 */
export interface SanctionsFalsePositive {
  falsePositiveId: string;
  counterpartyLei: string;
  source: string;
  entryId: string;
  listVersion: string;
  counterpartyFingerprint: string;
  entryFingerprint: string;
  reason: string;
  proposedBy: string;
  proposedAt: string;
  status: ReviewStatus;
  decidedBy: string | null;
  decidedAt: string | null;
}

/**
 * A list load held for a supervisor because it would remove more than the configured share of the
 * source's current entries (an empty list removes them all).
 */
export interface PendingSanctionsListLoad {
  loadId: string;
  source: string;
  version: string;
  entryCount: number;
  currentVersion: string;
  currentCount: number;
  removedCount: number;
  proposedBy: string;
  proposedAt: string;
  status: ReviewStatus;
  decidedBy: string | null;
  decidedAt: string | null;
}

const sha256 = (value: unknown) => createHash('sha256').update(canonicalJson(value)).digest('hex');

/** The counterparty's names as screening sees them: name and aliases (order of aliases ignored). */
export function counterpartyFingerprint(counterparty: { name: string; aliases: readonly string[] }): string {
  return sha256({ name: counterparty.name, aliases: [...counterparty.aliases].sort() });
}

/** The entry as listed: name, aliases (order ignored), program and country. */
export function entryFingerprint(entry: SanctionsEntry): string {
  return sha256({ name: entry.name, aliases: [...entry.aliases].sort(), program: entry.program, country: entry.country });
}

/** Whether an approved decision still covers the counterparty and the entry as they are now. */
export function stillCovers(decision: SanctionsFalsePositive, counterparty: { name: string; aliases: readonly string[] }, entry: SanctionsEntry): boolean {
  return decision.status === 'APPROVED' && decision.counterpartyFingerprint === counterpartyFingerprint(counterparty) && decision.entryFingerprint === entryFingerprint(entry);
}

/** The checker decides a pending proposal: never the proposer (403), and only once (409). */
export function decideReview<T extends { status: ReviewStatus; proposedBy: string; decidedBy: string | null; decidedAt: string | null }>(
  review: T,
  what: string,
  status: 'APPROVED' | 'DECLINED',
  by: string,
  at: string,
): T {
  if (status === 'APPROVED' && review.proposedBy === by) throw DomainError.forbidden(`the proposer of ${what} cannot approve it: a second person must`);
  if (review.status !== 'PENDING') throw DomainError.conflict(`${what} is already ${review.status}`, 'review-decided');
  return { ...review, status, decidedBy: by, decidedAt: at };
}

/**
 * How many of the current entries a new version removes (by entry id), and whether that needs a
 * supervisor: more than `approvalShare` (0–1) of them. With no current entries nothing is removed.
 */
export function removalOf(currentIds: readonly string[], next: readonly SanctionsEntry[], approvalShare: number): { removed: number; needsApproval: boolean } {
  const nextIds = new Set(next.map((e) => e.id));
  const removed = currentIds.filter((id) => !nextIds.has(id)).length;
  return { removed, needsApproval: currentIds.length > 0 && removed / currentIds.length > approvalShare };
}

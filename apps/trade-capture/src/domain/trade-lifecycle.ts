import { DomainError } from '@postrade/kernel';
import type { TradeAction, TradeStatus } from '@postrade/contracts';

/** Where the trade stands now; null before its NEW was captured. */
export interface CurrentVersion {
  version: number;
  status: TradeStatus;
}

/** The hash stored with a version, to tell a replay from a conflicting re-use of its number. */
export interface RecordedVersion {
  version: number;
  contentHash: string;
}

/**
 * What to do with a reported lifecycle action:
 * - `apply`: it is above the current version (gaps allowed);
 * - `replay`: this version was already applied with the same content: answer with the trade, publish nothing;
 * - `wait`: its trade has not been captured yet: park it (Kafka) or refuse it (REST).
 */
export type VersionDecision = { kind: 'apply' } | { kind: 'replay' } | { kind: 'wait'; reason: string };

/**
 * The common-domain-model version rules: NEW is version 1; an AMEND or CANCEL applies at any
 * version above the current one, since an upstream system may skip versions; the same version with
 * the same content is a no-op and with other content a conflict; a version at or below the current
 * one with other content is stale; a cancelled trade takes no further action.
 */
export function decideVersion(
  action: TradeAction,
  version: number,
  contentHash: string,
  current: CurrentVersion | null,
  recorded: RecordedVersion | null,
): VersionDecision {
  if (action === 'NEW' && version !== 1) throw DomainError.invalid('version', 'must be 1 for a NEW trade');
  if (current !== null && version <= current.version) {
    if (recorded !== null && recorded.contentHash === contentHash) return { kind: 'replay' };
    if (recorded !== null) {
      throw DomainError.conflict(`version ${version} of this trade was already captured with different content`, 'version-conflict');
    }
    throw DomainError.conflict(`version ${version} is stale: the trade is at version ${current.version}`, 'stale-version');
  }
  if (action !== 'NEW' && version < 2) throw DomainError.invalid('version', `must be greater than 1 for an ${action}`);
  if (current === null) {
    return action === 'NEW' ? { kind: 'apply' } : { kind: 'wait', reason: `no trade has been captured for this ${action}` };
  }
  if (current.status === 'CANCELLED') {
    throw DomainError.conflict(`the trade was cancelled at version ${current.version}; it takes no ${action}`, 'trade-cancelled');
  }
  return { kind: 'apply' };
}

import { DomainError } from '@postrade/kernel';
import type { ComplianceOutcome } from '@postrade/contracts';

export const RELEASE_ACTIONS = ['RELEASE', 'REJECT'] as const;
export type ReleaseAction = (typeof RELEASE_ACTIONS)[number];
export type ReleaseRequestStatus = 'PENDING' | 'APPROVED' | 'DECLINED' | 'WITHDRAWN';

/**
 * A proposal (maker) to release or reject a held trade, which a supervisor other than the maker
 * approves or declines (checker).
 */
export interface ReleaseRequest {
  requestId: string;
  tradeId: string;
  action: ReleaseAction;
  reason: string;
  requestedBy: string;
  /** The trade's open alerts when the request was made: what the requester (and so the approver) saw; null for requests made before this was recorded. */
  alertIds: string[] | null;
  status: ReleaseRequestStatus;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

/** Only a HELD trade without a pending request can have a release or rejection proposed. */
export function assertCanPropose(outcome: ComplianceOutcome, pending: ReleaseRequest | null): void {
  if (outcome !== 'HELD') throw DomainError.conflict(`the trade is ${outcome}, not HELD: there is nothing to release or reject`, 'not-held');
  if (pending !== null) throw DomainError.conflict(`request ${pending.requestId} is already pending for this trade`, 'request-pending');
}

/** The checker approves: never the maker (403), and only a pending request. */
export function approve(request: ReleaseRequest, approver: string, at: string): ReleaseRequest {
  if (request.requestedBy === approver) throw DomainError.forbidden('the requester of a release cannot approve it: a second person must');
  return decide(request, 'APPROVED', approver, at);
}

/**
 * An approval never resolves an alert its approver has not seen: every alert open now must be one
 * the request was made against, and, when the approver names the alerts they saw, one of those (409).
 */
export function assertApprovalSeesAlerts(request: ReleaseRequest, openAlertIds: readonly string[], seenByApprover?: readonly string[]): void {
  const unseen = (seen: readonly string[]) => openAlertIds.filter((id) => !seen.includes(id));
  const notInRequest = request.alertIds === null ? [] : unseen(request.alertIds);
  if (notInRequest.length > 0) {
    throw DomainError.conflict(`alerts ${notInRequest.join(', ')} were raised after request ${request.requestId} was made: propose again`, 'alerts-changed');
  }
  const notSeen = seenByApprover === undefined ? [] : unseen(seenByApprover);
  if (notSeen.length > 0) throw DomainError.conflict(`alerts ${notSeen.join(', ')} are open and not among the alerts approved`, 'alerts-changed');
}

/** A new alert, an amendment or a cancellation withdraws a pending request: it was made about something that changed. */
export function withdraw(request: ReleaseRequest, by: string, at: string): ReleaseRequest {
  return { ...request, status: 'WITHDRAWN', decidedBy: by, decidedAt: at };
}

/** The checker declines; the trade stays held. */
export function decline(request: ReleaseRequest, by: string, at: string): ReleaseRequest {
  return decide(request, 'DECLINED', by, at);
}

function decide(request: ReleaseRequest, status: 'APPROVED' | 'DECLINED', by: string, at: string): ReleaseRequest {
  if (request.status !== 'PENDING') throw DomainError.conflict(`request ${request.requestId} is already ${request.status}`, 'request-decided');
  return { ...request, status, decidedBy: by, decidedAt: at };
}

/** What an approved request makes of the trade's decision. */
export function outcomeOnApproval(action: ReleaseAction): 'RELEASED' | 'REJECTED' {
  return action === 'RELEASE' ? 'RELEASED' : 'REJECTED';
}

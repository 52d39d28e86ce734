import { EventTypes, type MatchBreak, type MatchResource, type MatchStatus } from '@postrade/contracts';
import type { ConfirmationTerms } from '../../domain/confirmation';

/** The match resource of a trade: its pair, status and breaks, as API.md and `matching.results.v1` show it. */
export function tradeMatchResource(match: {
  tradeId: string;
  counterpartyLei: string;
  status: MatchStatus;
  confirmationId: string | null;
  breaks: MatchBreak[];
  profile: string;
  updatedAt: string;
}): MatchResource {
  return {
    tradeId: match.tradeId,
    confirmationId: match.confirmationId,
    senderLei: match.confirmationId === null ? null : match.counterpartyLei,
    status: match.status,
    breaks: match.breaks,
    profile: match.profile,
    updatedAt: match.updatedAt,
  };
}

/** The match resource of a confirmation no trade pairs with. */
export function allegedMatchResource(
  confirmation: { confirmationId: string; senderLei: string; profile: string; updatedAt: string },
  status: 'ALLEGED' | 'CANCELLED' = 'ALLEGED',
): MatchResource {
  return {
    tradeId: null,
    confirmationId: confirmation.confirmationId,
    senderLei: confirmation.senderLei,
    status,
    breaks: [],
    profile: confirmation.profile,
    updatedAt: confirmation.updatedAt,
  };
}

export const MATCH_EVENT_TYPES: Record<MatchStatus, string> = {
  UNMATCHED: EventTypes.matchUnmatched,
  ALLEGED: EventTypes.matchAlleged,
  MISMATCHED: EventTypes.matchMismatched,
  MATCHED: EventTypes.matchMatched,
  AFFIRMED: EventTypes.matchAffirmed,
  CANCELLED: EventTypes.matchCancelled,
};

/** `POST/GET /api/v1/confirmations` resource. Optional fields the sender left out stay out. */
export interface ConfirmationResource {
  id: string;
  confirmationId: string;
  senderLei: string;
  receiverLei: string;
  tradeDate: string;
  settlementDate: string;
  side: string;
  isin: string;
  quantity: string;
  price: string;
  currency: string;
  grossAmount?: string;
  netAmount: string;
  accruedInterest?: string;
  commission?: string;
  fees?: string;
  ourReference?: string;
  matchStatus: MatchStatus;
  tradeId: string | null;
  version: number;
  receivedAt: string;
  /** When its sender cancelled this version: why, who and when. */
  cancelReason?: string;
  cancelledBy?: string;
  cancelledAt?: string;
}

export function confirmationResource(c: {
  id: string;
  version: number;
  terms: ConfirmationTerms;
  matchStatus: MatchStatus;
  tradeId: string | null;
  receivedAt: string;
  cancellation?: { reason: string; by: string; at: string } | null;
}): ConfirmationResource {
  const { grossAmount, accruedInterest, commission, fees, ourReference, ...required } = c.terms;
  return {
    id: c.id,
    ...required,
    ...(grossAmount === null ? {} : { grossAmount }),
    ...(accruedInterest === null ? {} : { accruedInterest }),
    ...(commission === null ? {} : { commission }),
    ...(fees === null ? {} : { fees }),
    ...(ourReference === null ? {} : { ourReference }),
    matchStatus: c.matchStatus,
    tradeId: c.tradeId,
    version: c.version,
    receivedAt: c.receivedAt,
    ...(c.cancellation ? { cancelReason: c.cancellation.reason, cancelledBy: c.cancellation.by, cancelledAt: c.cancellation.at } : {}),
  };
}

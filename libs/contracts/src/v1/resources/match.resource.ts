import type { MatchStatus, MatchingRule } from '../vocabulary';

/** A level-2 difference between our trade and the counterparty's confirmation. */
export interface MatchBreak {
  /** The API field name: `price`, `netAmount`, `settlementDate`, … */
  field: string;
  ours: string | null;
  theirs: string | null;
  rule: MatchingRule;
  /** The tolerance applied, as the profile states it; null for EXACT and IGNORE. */
  tolerance: string | null;
  /** FIX ConfirmRejReason (774): 6 instrument, 7 price, 9 settlement date, 11 quantity, 15 side, 16 net money, 17 trade date, … */
  reasonCode: number;
}

/**
 * `postrade.match.*.v1` on `matching.results.v1`; `GET /api/v1/matches/by-trade/{tradeId}`.
 */
export interface MatchResource {
  /** Null only while ALLEGED: a confirmation no trade pairs with yet. */
  tradeId: string | null;
  /** The sender's reference; null while UNMATCHED. */
  confirmationId: string | null;
  senderLei: string | null;
  status: MatchStatus;
  breaks: MatchBreak[];
  /** Name of the matching profile applied. */
  profile: string;
  updatedAt: string;
}

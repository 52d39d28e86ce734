import { PayloadFields } from '../payload-fields';
import { MATCH_STATUSES, type MatchStatus } from '../vocabulary';

/** What consumers (settlement's gate) read of a `matching.results.v1` event: the match resource. */
export interface MatchView {
  /** Null only while ALLEGED: a confirmation no trade pairs with yet. Lower-cased UUID. */
  tradeId: string | null;
  status: MatchStatus;
}

export function decodeMatch(data: unknown): MatchView {
  const m = PayloadFields.of(data);
  return { tradeId: m.optionalUuid('tradeId'), status: m.oneOf('status', MATCH_STATUSES) };
}

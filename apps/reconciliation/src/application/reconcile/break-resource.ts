import type { BreakResource } from '@postrade/contracts';
import { isSettlementMarket, marketToday, type SettlementMarket } from '@postrade/kernel';
import { ageInBusinessDays } from '../../domain/matching';
import type { BreakComment, StoredBreak } from '../../persistence/breaks.repository';

/** The market a break ages in: its account's, or EU's for an account whose market no event named yet. */
export const marketOf = (market: string | null | undefined): SettlementMarket => (market && isSettlementMarket(market) ? market : 'EU');

/** The day a break closes on when it is closed at `at`: the business today of its account's market, not UTC's. */
export function closedOnAt(stored: Pick<StoredBreak, 'market'>, at: Date): string {
  return marketToday(marketOf(stored.market), at);
}

/** Age in business days of the account's market: up to its close, or up to today while it is live. */
export function ageOf(stored: Pick<StoredBreak, 'market' | 'firstSeen' | 'closedOn'>, now: Date = new Date()): number {
  const market = marketOf(stored.market);
  const until = stored.closedOn ?? marketToday(market, now);
  return until <= stored.firstSeen ? 0 : ageInBusinessDays(market, stored.firstSeen, until);
}

/** A break as the API and `reconciliation.breaks.v1` show it. */
export function breakResource(stored: StoredBreak, comments: BreakComment[], now: Date = new Date()): BreakResource {
  return {
    breakId: stored.breakId,
    type: stored.type,
    account: stored.account,
    key: stored.key,
    asOf: stored.asOf,
    reason: stored.reason,
    ours: stored.ours ?? null,
    theirs: stored.theirs ?? null,
    difference: stored.difference,
    fields: stored.fields,
    firstSeen: stored.firstSeen,
    ageBusinessDays: ageOf(stored, now),
    status: stored.status,
    assignee: stored.assignee,
    comments,
    resolution: stored.resolution,
    lastSourceId: stored.lastSourceId,
    updatedAt: stored.updatedAt,
  };
}

import type { MatchStatus } from '@postrade/contracts';

/**
 * Where a trade stands against its same-day affirmation cutoff (SEC 15c6-2: a US trade is affirmed
 * by 9 pm New York time on its trade date): MET when it was affirmed by then, MISSED when it was
 * affirmed later or is still not affirmed after it, AT_RISK while it is not affirmed and the
 * cutoff is still ahead (it will miss the cutoff unless someone acts). Null when the trade has no
 * cutoff (not a US trade) or is cancelled.
 */
export const CUTOFF_STATUSES = ['MET', 'AT_RISK', 'MISSED'] as const;
export type CutoffStatus = (typeof CUTOFF_STATUSES)[number];

export function cutoffStatus(trade: { status: MatchStatus; updatedAt: string; affirmationCutoff: string | null }, now: Date): CutoffStatus | null {
  if (trade.affirmationCutoff === null || trade.status === 'CANCELLED') return null;
  const cutoff = Date.parse(trade.affirmationCutoff);
  // An affirmed trade's last change is its affirmation.
  if (trade.status === 'AFFIRMED') return Date.parse(trade.updatedAt) <= cutoff ? 'MET' : 'MISSED';
  return now.getTime() <= cutoff ? 'AT_RISK' : 'MISSED';
}

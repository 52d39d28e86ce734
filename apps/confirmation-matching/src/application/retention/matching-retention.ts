import type { RetentionRule } from '@postrade/messaging';
import { readEnv, type EnvSource } from '@postrade/platform';

/** Match statuses that close an item: nothing is left for matching or for operations to do. */
export const CLOSED_MATCH_STATUSES = ['AFFIRMED', 'CANCELLED'] as const;

/**
 * Matching's retention, swept by the platform's one retention sweep. Retention never removes an
 * open item: UNMATCHED and MISMATCHED trades, ALLEGED confirmations and MATCHED pairs waiting for
 * affirmation stay until they are closed. A closed pair (AFFIRMED or CANCELLED) leaves
 * `MATCHING_RETENTION` (default 90d) after it last changed, the trade with its paired
 * confirmation in the same statement (its breaks and unmatch decisions by cascade), so no
 * confirmation is freed to pair again. Removing a closed pair leaves every other pairing of its
 * key as it was (pairing is greedy in one global order). A confirmation its sender cancelled,
 * paired with no trade, is closed as well and leaves after the same horizon. The operator action
 * trail is kept.
 * Idempotency-Keys go after `MATCHING_IDEMPOTENCY_KEY_RETENTION` (default 7d).
 */
export function matchingRetentionRules(source: EnvSource = process.env): RetentionRule[] {
  const horizons = readEnv(source, (env) => ({
    closed: env.duration('MATCHING_RETENTION', { default: '90d', min: '1d' }),
    idempotencyKeys: env.duration('MATCHING_IDEMPOTENCY_KEY_RETENTION', { default: '7d', min: '1h' }),
  }));
  return [
    {
      name: 'closed matches',
      table: 'trades',
      timestampColumn: 'updated_at',
      where: `match_status in (${CLOSED_MATCH_STATUSES.map((s) => `'${s}'`).join(', ')})`,
      horizonMs: horizons.closed,
      // By the confirmations' unique key (sender, reference), so each chunk probes an index.
      dependents: [{ table: 'confirmations', on: { sender_lei: 'counterparty_lei', confirmation_id: 'confirmation_id', trade_id: 'trade_id' } }],
    },
    // A confirmation its sender cancelled that pairs with no trade is closed too; the trade rule
    // above never reaches it (it has no trade), so it goes on its own after the same horizon. A
    // confirmation CANCELLED with a trade left with that trade (the rule above).
    {
      name: 'cancelled confirmations',
      table: 'confirmations',
      timestampColumn: 'updated_at',
      where: `match_status = 'CANCELLED' and trade_id is null`,
      horizonMs: horizons.closed,
    },
    { name: 'confirmation Idempotency-Keys', table: 'idempotency_keys', timestampColumn: 'created_at', horizonMs: horizons.idempotencyKeys },
  ];
}

import type { RetentionRule } from '@postrade/messaging';
import { readEnv, type EnvSource } from '@postrade/platform';

/**
 * Settlement's retention, swept by the platform's one retention sweep (chunked): applied status
 * update ids (kept for replay detection), the gate state nothing will need again, untouched since
 * the horizon (trades cancelled or rejected by compliance, trades whose instruction settled in
 * full, match or compliance news about a trade that never arrived), and reference prices once no
 * close will need them (each penalty keeps the price it used). Instructions, their history, fail
 * days and penalties are the settlement record and are kept; a trade still on its way to
 * settlement is never removed.
 * Horizons: `SETTLEMENT_RETENTION_STATUS_UPDATE` (400d), `SETTLEMENT_RETENTION_FINISHED_TRADE`
 * (90d), `SETTLEMENT_RETENTION_REFERENCE_PRICE` (400d).
 */
export function settlementRetentionRules(source: EnvSource = process.env): RetentionRule[] {
  const horizons = readEnv(source, (env) => ({
    statusUpdates: env.duration('SETTLEMENT_RETENTION_STATUS_UPDATE', { default: '400d', min: '1d' }),
    finishedTrades: env.duration('SETTLEMENT_RETENTION_FINISHED_TRADE', { default: '90d', min: '1d' }),
    referencePrices: env.duration('SETTLEMENT_RETENTION_REFERENCE_PRICE', { default: '400d', min: '1d' }),
  }));
  return [
    { name: 'applied status update ids', table: 'status_updates', timestampColumn: 'received_at', horizonMs: horizons.statusUpdates },
    {
      name: 'gate state of finished trades',
      table: 'settlement_trades',
      timestampColumn: 'updated_at',
      where: `trade_status = 'CANCELLED' or compliance_outcome = 'REJECTED' or version is null
        or exists (select 1 from instructions i where i.instruction_id = settlement_trades.instruction_id and i.settlement_status = 'SETTLED')`,
      horizonMs: horizons.finishedTrades,
    },
    { name: 'reference prices', table: 'reference_prices', timestampColumn: 'date', horizonMs: horizons.referencePrices },
  ];
}

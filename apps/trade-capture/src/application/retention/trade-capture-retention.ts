import type { RetentionRule } from '@postrade/messaging';
import { readEnv, type EnvSource } from '@postrade/platform';

/**
 * Trade-capture's retention, swept by the platform's one retention sweep: Idempotency-Keys are
 * forgotten `TRADE_CAPTURE_IDEMPOTENCY_KEY_RETENTION` (default 7d) after they were claimed. Trades
 * and their version history are kept: they are the books and their audit trail.
 */
export function tradeCaptureRetentionRules(source: EnvSource = process.env): RetentionRule[] {
  const idempotencyKeys = readEnv(source, (env) => env.duration('TRADE_CAPTURE_IDEMPOTENCY_KEY_RETENTION', { default: '7d', min: '1m' }));
  return [{ name: 'Idempotency-Keys', table: 'idempotency_keys', timestampColumn: 'created_at', horizonMs: idempotencyKeys }];
}

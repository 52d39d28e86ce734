import type { RetentionRule } from '@postrade/messaging';
import { readEnv, type EnvSource } from '@postrade/platform';
import { DEFAULT_SANCTIONS_THRESHOLD } from '../domain/sanctions/sanctions-index';

/** Compliance settings, from the environment. */
export interface ComplianceConfig {
  /** Sanctions score (0–100) at or above which a name is a hit. */
  sanctionsThreshold: number;
  /** A sanctions list version removing more than this share (0–1) of the source's current entries waits for a supervisor (`COMPLIANCE_LIST_REMOVAL_APPROVAL_SHARE`, in percent, default 10). */
  listRemovalApprovalShare: number;
  /** How long an Idempotency-Key is remembered, in ms (`COMPLIANCE_IDEMPOTENCY_KEY_RETENTION`, default 7d). */
  idempotencyKeyRetentionMs: number;
  /** How long a closed (cancelled or settled) trade's screening copy is kept before retention deletes it, in ms (`COMPLIANCE_CLOSED_TRADE_RETENTION`, default 400d). */
  closedTradeRetentionMs: number;
  /** How long a settlement waits for a trade compliance has not screened before it goes to the dead letters, in ms (`COMPLIANCE_PARKED_EXPIRY`, default 72h). */
  parkedExpiryMs: number;
}

export const COMPLIANCE_CONFIG = Symbol('COMPLIANCE_CONFIG');

export function complianceConfigFromEnv(source: EnvSource = process.env): ComplianceConfig {
  return readEnv(source, (env) => ({
    sanctionsThreshold: env.integer('COMPLIANCE_SANCTIONS_THRESHOLD', { default: DEFAULT_SANCTIONS_THRESHOLD, min: 1, max: 100 }),
    listRemovalApprovalShare: env.integer('COMPLIANCE_LIST_REMOVAL_APPROVAL_SHARE', { default: 10, min: 0, max: 100 }) / 100,
    idempotencyKeyRetentionMs: env.duration('COMPLIANCE_IDEMPOTENCY_KEY_RETENTION', { default: '7d', min: '1h' }),
    closedTradeRetentionMs: env.duration('COMPLIANCE_CLOSED_TRADE_RETENTION', { default: '400d', min: '1d' }),
    parkedExpiryMs: env.duration('COMPLIANCE_PARKED_EXPIRY', { default: '72h', min: '1s' }),
  }));
}

/**
 * What compliance prunes, by the platform's retention sweep: its copy of trades closed (cancelled or
 * fully settled) past the horizon and Idempotency-Keys after a week. Settlements parked for trades
 * that never came are not deleted here: the parking lot's expiry moves them to the dead letters.
 * Decisions, alerts, release requests and the audit trail are kept (README "Retention").
 */
export function complianceRetentionRules(config: ComplianceConfig): RetentionRule[] {
  const horizonMs = config.closedTradeRetentionMs;
  return [
    { name: 'closed screened trades', table: 'screened_trades', timestampColumn: 'closed_at', where: 'closed_at is not null', horizonMs },
    { name: 'idempotency keys', table: 'idempotency_keys', timestampColumn: 'created_at', horizonMs: config.idempotencyKeyRetentionMs },
  ];
}

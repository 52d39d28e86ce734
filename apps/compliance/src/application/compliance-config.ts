import type { RetentionRule } from '@postrade/messaging';
import { readEnv } from '@postrade/platform';
import { DEFAULT_SANCTIONS_THRESHOLD } from '../domain/sanctions/sanctions-index';

/** Compliance settings, from the environment. */
export interface ComplianceConfig {
  /** Sanctions score (0–100) at or above which a name is a hit. */
  sanctionsThreshold: number;
  /** Hours an Idempotency-Key is remembered. */
  idempotencyKeyRetentionHours: number;
  /** Days a closed (cancelled or settled) trade's screening copy is kept before retention deletes it. */
  closedTradeRetentionDays: number;
}

export const COMPLIANCE_CONFIG = Symbol('COMPLIANCE_CONFIG');

export function complianceConfigFromEnv(source: NodeJS.ProcessEnv = process.env): ComplianceConfig {
  return readEnv(source, (env) => ({
    sanctionsThreshold: env.integer('COMPLIANCE_SANCTIONS_THRESHOLD', { default: DEFAULT_SANCTIONS_THRESHOLD, min: 1, max: 100 }),
    idempotencyKeyRetentionHours: env.integer('COMPLIANCE_IDEMPOTENCY_KEY_RETENTION_HOURS', { default: 24 * 7, min: 1 }),
    closedTradeRetentionDays: env.integer('COMPLIANCE_CLOSED_TRADE_RETENTION_DAYS', { default: 400, min: 1 }),
  }));
}

/**
 * What compliance prunes, by the platform's retention sweep: its copy of trades closed (cancelled or
 * fully settled) past the horizon, settlements parked that long for trades that never came, and
 * Idempotency-Keys after a week.
 * Decisions, alerts, release requests and the audit trail are kept (README "Retention").
 */
export function complianceRetentionRules(config: ComplianceConfig): RetentionRule[] {
  const horizonMs = config.closedTradeRetentionDays * 86_400_000;
  return [
    { name: 'closed screened trades', table: 'screened_trades', timestampColumn: 'closed_at', where: 'closed_at is not null', horizonMs },
    { name: 'expired parked settlements', table: 'parked_settlements', timestampColumn: 'parked_at', horizonMs },
    { name: 'idempotency keys', table: 'idempotency_keys', timestampColumn: 'created_at', horizonMs: config.idempotencyKeyRetentionHours * 3_600_000 },
  ];
}

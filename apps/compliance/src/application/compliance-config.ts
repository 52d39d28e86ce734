import { readEnv } from '@postrade/platform';
import { DEFAULT_SANCTIONS_THRESHOLD } from '../domain/sanctions/sanctions-index';

/** Compliance settings, from the environment. */
export interface ComplianceConfig {
  /** Sanctions score (0–100) at or above which a name is a hit. */
  sanctionsThreshold: number;
  /** Days a closed (cancelled or settled) trade's screening copy is kept before retention deletes it. */
  closedTradeRetentionDays: number;
}

export const COMPLIANCE_CONFIG = Symbol('COMPLIANCE_CONFIG');

export function complianceConfigFromEnv(source: NodeJS.ProcessEnv = process.env): ComplianceConfig {
  return readEnv(source, (env) => ({
    sanctionsThreshold: env.integer('COMPLIANCE_SANCTIONS_THRESHOLD', { default: DEFAULT_SANCTIONS_THRESHOLD, min: 1, max: 100 }),
    closedTradeRetentionDays: env.integer('COMPLIANCE_CLOSED_TRADE_RETENTION_DAYS', { default: 400, min: 1 }),
  }));
}

import { DomainError } from '@postrade/kernel';
import { readEnv, type EnvSource } from '@postrade/platform';
import { DEFAULT_RECONCILIATION_CONFIG, parseReconciliationConfig, type ReconciliationConfig } from '../domain/matching';

/**
 * `RECONCILIATION_RULES`: tolerances and matching keys per reconciliation type as JSON, merged
 * over the defaults (README, "Reconciliation"), e.g.
 * `{"TRANSACTION":{"settlementDateBusinessDays":1},"CASH":{"amount":{"kind":"ABSOLUTE","value":"0.01"}}}`.
 * A value that does not parse stops the service at start with the path named.
 */
export function reconciliationConfigFromEnv(source: EnvSource = process.env): ReconciliationConfig {
  return readEnv(source, (env) => {
    const raw = env.string('RECONCILIATION_RULES');
    if (raw === undefined || raw.trim() === '') return DEFAULT_RECONCILIATION_CONFIG;
    try {
      return parseReconciliationConfig(JSON.parse(raw));
    } catch (error) {
      const detail = error instanceof DomainError ? error.message : 'is not JSON';
      env.problem('RECONCILIATION_RULES', detail);
      return DEFAULT_RECONCILIATION_CONFIG;
    }
  });
}

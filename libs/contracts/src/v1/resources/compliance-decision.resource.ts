import type { AlertRule, ComplianceOutcome } from '../vocabulary';

export interface ComplianceAlert {
  alertId: string;
  rule: AlertRule;
  severity: string;
  status: string;
  /** What the check saw: the matched list entry, the score, the limit and exposure, … */
  details: Record<string, unknown>;
}

/** `postrade.compliance.*.v1` on `compliance.decisions.v1`; `GET /api/v1/decisions/by-trade/{tradeId}`. */
export interface ComplianceDecisionResource {
  tradeId: string;
  /** The trade version screened: an amendment screens afresh. */
  tradeVersion: number;
  outcome: ComplianceOutcome;
  alerts: ComplianceAlert[];
}

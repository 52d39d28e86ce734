import { PayloadFields } from '../payload-fields';
import { COMPLIANCE_OUTCOMES, type ComplianceOutcome } from '../vocabulary';

/** What consumers (settlement's gate) read of a `compliance.decisions.v1` event. */
export interface ComplianceDecisionView {
  /** Lower-cased UUID. */
  tradeId: string;
  tradeVersion: number;
  outcome: ComplianceOutcome;
}

export function decodeComplianceDecision(data: unknown): ComplianceDecisionView {
  const d = PayloadFields.of(data);
  return { tradeId: d.uuid('tradeId'), tradeVersion: d.integer('tradeVersion'), outcome: d.oneOf('outcome', COMPLIANCE_OUTCOMES) };
}

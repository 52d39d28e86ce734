import type { TradeGateState } from './settlement-trade';

/** Why a trade is not (yet) instructed. */
export type GateWait = 'TRADE' | 'MATCH' | 'AFFIRMATION' | 'COMPLIANCE' | 'COMPLIANCE_HOLD';

export type GateDecision =
  /** Affirmed (or matched) and cleared (or released): the trade settles. */
  | { kind: 'instruct' }
  /** Not yet: what it waits for. A `COMPLIANCE_HOLD` puts an existing instruction on party hold. */
  | { kind: 'wait'; waitingFor: GateWait[] }
  /** The trade must not settle: cancelled upstream or rejected by compliance. */
  | { kind: 'withdraw'; reason: 'TRADE_CANCELLED' | 'COMPLIANCE_REJECTED' };

export interface GatePolicy {
  /** When true (the default), a MATCHED trade waits for AFFIRMED; when false MATCHED suffices. */
  affirmationRequired: boolean;
}

/**
 * The settlement gate: a pure function of what is known now, so the outcome does not depend on
 * the order the trade, match and compliance events arrived in. A compliance decision counts only
 * for the trade version it screened (an amendment is screened afresh).
 */
export function decideGate(state: TradeGateState, policy: GatePolicy): GateDecision {
  const { terms, matchStatus, compliance } = state;
  if (terms?.status === 'CANCELLED') return { kind: 'withdraw', reason: 'TRADE_CANCELLED' };
  const decisionApplies = compliance !== null && (terms === null || compliance.tradeVersion >= terms.version);
  if (decisionApplies && compliance.outcome === 'REJECTED') return { kind: 'withdraw', reason: 'COMPLIANCE_REJECTED' };

  const waitingFor: GateWait[] = [];
  if (terms === null) waitingFor.push('TRADE');
  const affirmed = matchStatus === 'AFFIRMED' || (!policy.affirmationRequired && matchStatus === 'MATCHED');
  if (!affirmed) waitingFor.push(matchStatus === 'MATCHED' ? 'AFFIRMATION' : 'MATCH');
  if (!decisionApplies) waitingFor.push('COMPLIANCE');
  else if (compliance.outcome === 'HELD') waitingFor.push('COMPLIANCE_HOLD');
  return waitingFor.length === 0 ? { kind: 'instruct' } : { kind: 'wait', waitingFor };
}

import { decideGate, type GateDecision, type GatePolicy, type GateWait } from './settlement-gate';
import { instructionTermsFor, sameInstructionTerms, type InstructionTerms } from './settlement-instruction';
import type { InstructionStatus } from './instruction-status';
import type { TradeGateState } from './settlement-trade';

/** An instruction that currently settles one or more trades of the group. */
export interface CurrentInstruction {
  instructionId: string;
  terms: InstructionTerms;
  status: InstructionStatus;
}

/** What to do so that the group's instructions match its trades' gates. */
export interface GroupPlan {
  cancel: { instructionId: string; reason: string }[];
  /** A new instruction, on party hold when one of its trades is held. */
  create: { terms: InstructionTerms; partyHold: boolean } | null;
  /** A PENDING instruction whose terms changed before it ever reached the custodian: updated in place. */
  update: { instructionId: string; terms: InstructionTerms } | null;
  hold: { instructionId: string; partyHold: boolean } | null;
  /** Why the instruction is (or goes) on party hold: what its waiting trades wait for. */
  holdReasons: GateWait[];
  /** Trades withdrawn after their instruction began to settle: recorded on it for operations. */
  notes: { instructionId: string; note: string }[];
}

const started = (i: CurrentInstruction) => i.status.settledQuantity !== '0' && !/^0(\.0+)?$/.test(i.status.settledQuantity);
const active = (i: CurrentInstruction) => i.status.processingStatus === 'PENDING' || i.status.processingStatus === 'INSTRUCTED';

/**
 * Plans one settlement group (a trade alone, or the trades netted together). Trades whose
 * instruction has begun to settle stay with it; the other eligible trades get one instruction
 * with exactly their terms, re-issued (cancel and replace) whenever that set or its terms change.
 * A trade that waits again after it was instructed — held by compliance, or amended and not yet
 * screened or matched afresh — keeps its place, and the instruction goes on party hold until the
 * gate opens again (an amendment that leaves the settlement terms alone re-issues nothing); a
 * trade that never passed the gate gets no instruction.
 */
export function planSettlementGroup(trades: readonly TradeGateState[], instructions: readonly CurrentInstruction[], policy: GatePolicy): GroupPlan {
  const plan: GroupPlan = { cancel: [], create: null, update: null, hold: null, holdReasons: [], notes: [] };
  const byId = new Map(instructions.map((i) => [i.instructionId, i]));
  const decisions = new Map<string, GateDecision>(trades.map((t) => [t.tradeId, decideGate(t, policy)]));
  const waitingFor = (t: TradeGateState): GateWait[] => {
    const d = decisions.get(t.tradeId)!;
    return d.kind === 'wait' ? d.waitingFor : [];
  };

  const settling = new Set(instructions.filter((i) => active(i) && started(i)).map((i) => i.instructionId));
  const open = instructions.filter((i) => active(i) && !settling.has(i.instructionId));

  const free: TradeGateState[] = [];
  for (const trade of trades) {
    const current = trade.instructionId ? byId.get(trade.instructionId) : undefined;
    const decision = decisions.get(trade.tradeId)!;
    if (current && settling.has(current.instructionId)) {
      if (decision.kind === 'withdraw') plan.notes.push({ instructionId: current.instructionId, note: `trade ${trade.tradeId}: ${decision.reason} after settlement began` });
      continue;
    }
    const inOpen = current !== undefined && open.includes(current);
    if (trade.terms !== null && (decision.kind === 'instruct' || (decision.kind === 'wait' && inOpen))) free.push(trade);
  }

  const withdrawn = trades.map((t) => decisions.get(t.tradeId)!).find((d): d is Extract<GateDecision, { kind: 'withdraw' }> => d.kind === 'withdraw');
  if (free.length === 0) {
    plan.cancel = open.map((i) => ({ instructionId: i.instructionId, reason: withdrawn?.reason ?? 'NO_TRADE_TO_SETTLE' }));
    return plan;
  }
  const desired = instructionTermsFor(free.map((t) => t.terms!));
  plan.holdReasons = [...new Set(free.flatMap(waitingFor))];
  const partyHold = plan.holdReasons.length > 0;
  const [only] = open;
  if (open.length === 1 && sameInstructionTerms(only.terms, desired)) {
    if (only.status.partyHold !== partyHold) plan.hold = { instructionId: only.instructionId, partyHold };
    return plan;
  }
  if (open.length === 1 && only.status.processingStatus === 'PENDING' && only.terms.tradeIds.join(',') === desired.tradeIds.join(',')) {
    plan.update = { instructionId: only.instructionId, terms: desired };
    if (only.status.partyHold !== partyHold) plan.hold = { instructionId: only.instructionId, partyHold };
    return plan;
  }
  plan.cancel = open.map((i) => ({ instructionId: i.instructionId, reason: withdrawn?.reason ?? 'REISSUED' }));
  plan.create = { terms: desired, partyHold };
  return plan;
}

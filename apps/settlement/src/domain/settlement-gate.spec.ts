import { decideGate } from './settlement-gate';
import { planSettlementGroup, type CurrentInstruction } from './settlement-group';
import { gateState, instructedStatus, tradeTerms } from './settlement.fixtures';
import { instructionTermsFor } from './settlement-instruction';
import type { TradeGateState } from './settlement-trade';

type Arrival = (s: TradeGateState) => TradeGateState;
const tradeArrives: Arrival = (s) => ({ ...s, terms: tradeTerms() });
const matched: Arrival = (s) => ({ ...s, matchStatus: 'MATCHED' });
const affirmed: Arrival = (s) => ({ ...s, matchStatus: 'AFFIRMED' });
const cleared: Arrival = (s) => ({ ...s, compliance: { outcome: 'CLEARED', tradeVersion: 1 } });
const held: Arrival = (s) => ({ ...s, compliance: { outcome: 'HELD', tradeVersion: 1 } });
const released: Arrival = (s) => ({ ...s, compliance: { outcome: 'RELEASED', tradeVersion: 1 } });

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]));
}

const policy = { affirmationRequired: true };

/** Every interleaving of streams, each stream keeping its own order (one Kafka partition each). */
function interleavings<T>(streams: T[][]): T[][] {
  const live = streams.filter((s) => s.length > 0);
  if (live.length === 0) return [[]];
  return live.flatMap((stream, i) => interleavings(live.map((s, j) => (j === i ? s.slice(1) : s))).map((rest) => [stream[0], ...rest]));
}

describe('the settlement gate', () => {
  const streams: [string, Arrival][][] = [
    [['trade', tradeArrives]],
    [['matched', matched], ['affirmed', affirmed]],
    [['cleared', cleared]],
  ];

  it.each(interleavings(streams).map((order) => [order.map(([name]) => name).join(' → '), order] as const))(
    'instructs exactly once, after the last of trade, affirmation and clearance, when they arrive %s',
    (_name, order) => {
      let state = gateState();
      const decisions = order.map(([, arrive]) => {
        state = arrive(state);
        return decideGate(state, policy).kind;
      });
      expect(decisions.slice(0, -1)).not.toContain('instruct');
      expect(decisions.at(-1)).toBe('instruct');
    },
  );

  it.each(permutations<[string, Arrival]>([['trade', tradeArrives], ['affirmed', affirmed], ['held', held]]).map((o) => [o.map(([n]) => n).join(' → '), o] as const))(
    'waits while compliance holds the trade, whatever the order (%s), and instructs once released',
    (_name, order) => {
      const state = order.reduce((s, [, arrive]) => arrive(s), gateState());
      expect(decideGate(state, policy)).toEqual({ kind: 'wait', waitingFor: ['COMPLIANCE_HOLD'] });
      expect(decideGate(released(state), policy)).toEqual({ kind: 'instruct' });
    },
  );

  it('treats MATCHED as enough only when affirmation is off', () => {
    const state = cleared(matched(tradeArrives(gateState())));
    expect(decideGate(state, { affirmationRequired: true })).toEqual({ kind: 'wait', waitingFor: ['AFFIRMATION'] });
    expect(decideGate(state, { affirmationRequired: false })).toEqual({ kind: 'instruct' });
  });

  it('waits for a fresh compliance decision after an amendment', () => {
    const amended = { ...affirmed(cleared(gateState())), terms: tradeTerms({ version: 2, status: 'AMENDED' }) };
    expect(decideGate(amended, policy)).toEqual({ kind: 'wait', waitingFor: ['COMPLIANCE'] });
    expect(decideGate({ ...amended, compliance: { outcome: 'CLEARED', tradeVersion: 2 } }, policy)).toEqual({ kind: 'instruct' });
  });

  it('withdraws a cancelled trade and a trade compliance rejected, in any state', () => {
    const ready = cleared(affirmed(tradeArrives(gateState())));
    expect(decideGate({ ...ready, terms: tradeTerms({ version: 2, status: 'CANCELLED' }) }, policy)).toEqual({ kind: 'withdraw', reason: 'TRADE_CANCELLED' });
    expect(decideGate({ ...ready, compliance: { outcome: 'REJECTED', tradeVersion: 1 } }, policy)).toEqual({ kind: 'withdraw', reason: 'COMPLIANCE_REJECTED' });
  });
});

describe('planning a settlement group', () => {
  const ready = cleared(affirmed(tradeArrives(gateState())));
  const instructionOf = (state: TradeGateState, overrides: Partial<CurrentInstruction['status']> = {}): CurrentInstruction => {
    const terms = instructionTermsFor([state.terms!]);
    return { instructionId: 'I-1', terms, status: instructedStatus({ quantity: terms.quantity, settlementAmount: terms.settlementAmount, ...overrides }) };
  };

  it('creates an instruction for a trade that passes the gate and has none', () => {
    const plan = planSettlementGroup([ready], [], policy);
    expect(plan.create?.terms).toMatchObject({ tradeIds: [ready.tradeId], direction: 'RECEIVE', quantity: '1000', settlementAmount: '189261.20' });
    expect(plan.cancel).toEqual([]);
  });

  it('changes nothing when the instruction already settles the trade as it stands', () => {
    const plan = planSettlementGroup([{ ...ready, instructionId: 'I-1' }], [instructionOf(ready)], policy);
    expect(plan).toEqual({ cancel: [], create: null, update: null, hold: null, holdReasons: [], notes: [] });
  });

  it('puts the instruction on party hold while compliance holds the trade, and releases it', () => {
    const heldTrade = { ...held(ready), instructionId: 'I-1' };
    expect(planSettlementGroup([heldTrade], [instructionOf(ready)], policy).hold).toEqual({ instructionId: 'I-1', partyHold: true });
    const releasedTrade = released(heldTrade);
    expect(planSettlementGroup([releasedTrade], [instructionOf(ready, { partyHold: true })], policy).hold).toEqual({ instructionId: 'I-1', partyHold: false });
  });

  it('keeps the instruction, on party hold, while an amendment that leaves the settlement terms alone awaits screening', () => {
    const amended = { ...ready, instructionId: 'I-1', terms: tradeTerms({ version: 2, status: 'AMENDED' }) };
    const plan = planSettlementGroup([amended], [instructionOf(ready)], policy);
    expect(plan).toMatchObject({ cancel: [], create: null, hold: { instructionId: 'I-1', partyHold: true }, holdReasons: ['COMPLIANCE'] });
    const cleared2 = { ...amended, compliance: { outcome: 'CLEARED' as const, tradeVersion: 2 } };
    expect(planSettlementGroup([cleared2], [instructionOf(ready, { partyHold: true })], policy)).toMatchObject({ cancel: [], create: null, hold: { partyHold: false } });
  });

  it('never instructs a trade that has not passed the gate, even beside others in its group', () => {
    const other = { ...ready, tradeId: 'T-2', terms: tradeTerms({ tradeId: 'T-2' }) };
    const plan = planSettlementGroup([held(ready), other], [], policy);
    expect(plan.create?.terms.tradeIds).toEqual(['T-2']);
    expect(plan.create?.partyHold).toBe(false);
  });

  it('re-issues the instruction when an amendment changes the settlement terms', () => {
    const amended = { ...ready, instructionId: 'I-1', terms: tradeTerms({ version: 2, status: 'AMENDED', quantity: '900' }), compliance: { outcome: 'CLEARED' as const, tradeVersion: 2 } };
    const plan = planSettlementGroup([amended], [instructionOf(ready)], policy);
    expect(plan.cancel).toEqual([{ instructionId: 'I-1', reason: 'REISSUED' }]);
    expect(plan.create?.terms.quantity).toBe('900');
  });

  it('cancels the instruction of a cancelled trade, but only notes a cancellation after settlement began', () => {
    const cancelled = { ...ready, instructionId: 'I-1', terms: tradeTerms({ version: 2, status: 'CANCELLED' }) };
    expect(planSettlementGroup([cancelled], [instructionOf(ready)], policy).cancel).toEqual([{ instructionId: 'I-1', reason: 'TRADE_CANCELLED' }]);
    const begun = planSettlementGroup([cancelled], [instructionOf(ready, { settledQuantity: '100' })], policy);
    expect(begun.cancel).toEqual([]);
    expect(begun.notes).toEqual([{ instructionId: 'I-1', note: expect.stringContaining('TRADE_CANCELLED') }]);
  });

  it('waits with processing PENDING (SSI_MISSING) and completes in place when the enriched trade brings the SSI', () => {
    const missing = { ...ready, terms: tradeTerms({ ssis: { ours: tradeTerms().ssis.ours, theirs: null } }) };
    const created = planSettlementGroup([missing], [], policy).create!;
    expect(created.terms.ssis.theirs).toBeNull();
    const pending: CurrentInstruction = { instructionId: 'I-1', terms: created.terms, status: instructedStatus({ processingStatus: 'PENDING', pendingReason: 'SSI_MISSING' }) };
    const plan = planSettlementGroup([{ ...ready, instructionId: 'I-1' }], [pending], policy);
    expect(plan.update?.terms.ssis.theirs).not.toBeNull();
    expect(plan.create).toBeNull();
  });
});

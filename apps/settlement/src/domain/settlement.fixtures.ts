import type { InstructionStatus } from './instruction-status';
import type { SettlementTradeTerms, TradeGateState } from './settlement-trade';

/** Small factories for the domain's unit tests. */
export const SSI_OURS = { agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK-OURS', cashAccount: 'C-OURS', placeOfSettlement: 'DAKVDEFFXXX' };
export const SSI_THEIRS = { agentBic: 'CHASDEFXXXX', safekeepingAccount: 'SK-THEIRS', cashAccount: 'C-THEIRS', placeOfSettlement: 'DAKVDEFFXXX' };

export function tradeTerms(overrides: Partial<SettlementTradeTerms> = {}): SettlementTradeTerms {
  return {
    tradeId: '00000000-0000-4000-8000-000000000001',
    version: 1,
    status: 'CAPTURED',
    side: 'BUY',
    isin: 'DE0007164600',
    quantity: '1000',
    netAmount: '189261.20',
    accruedInterest: '0.00',
    currency: 'EUR',
    intendedSettlementDate: '2026-11-25',
    settlementMarket: 'EU',
    settlementType: 'DVP',
    counterpartyLei: '5493001KJTIIGC8Y1R12',
    legalEntityLei: '529900T8BM49AURSDO55',
    csdrCategory: 'LIQUID_SHARE',
    priceType: 'UNIT',
    ssis: { ours: SSI_OURS, theirs: SSI_THEIRS },
    ...overrides,
  };
}

export function gateState(overrides: Partial<TradeGateState> = {}): TradeGateState {
  return { tradeId: '00000000-0000-4000-8000-000000000001', terms: null, matchStatus: null, compliance: null, instructionId: null, ...overrides };
}

export function instructedStatus(overrides: Partial<InstructionStatus> = {}): InstructionStatus {
  return {
    processingStatus: 'INSTRUCTED',
    pendingReason: null,
    matchingStatus: 'UNMATCHED',
    failing: false,
    partyHold: false,
    quantity: '1000',
    settlementAmount: '100000.00',
    settledQuantity: '0',
    settledAmount: '0',
    failingParty: null,
    failReasonCode: null,
    ...overrides,
  };
}

/**
 * One event payload of each consumed type, whole and as its producer's resource type says (the
 * compiler checks them against it). Tests only: the decoders' contract test and the consumers'
 * mapping specs start from these, so that a consumer is tested on what producers send.
 */
import type { ComplianceDecisionResource } from '../resources/compliance-decision.resource';
import type { SettlementEventPayload } from '../resources/instruction.resource';
import type { JournalEntryResource } from '../resources/journal-entry.resource';
import type { MatchResource } from '../resources/match.resource';
import type { CounterpartyResource, InstrumentResource, LegalEntityResource, SsiResource } from '../resources/reference-data.resource';
import type { TradeAmendedPayload, TradeResource } from '../resources/trade.resource';

const TRADE_ID = '0b6a9a43-3f7c-4a49-9a51-2a1f4f0c1e11';
const INSTRUCTION_ID = '3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b';
const COUNTERPARTY_LEI = '5493001KJTIIGC8Y1R12';
const OUR_LEI = '529900T8BM49AURSDO55';

const ssi = (lei: string, safekeepingAccount: string, cashAccount: string): SsiResource => ({
  lei,
  settlementMarket: 'US',
  currency: 'USD',
  agentBic: 'IRVTUS3NXXX',
  safekeepingAccount,
  cashAccount,
  placeOfSettlement: 'DTCYUS33XXX',
});

export function sampleTrade(overrides: Partial<TradeResource> = {}): TradeResource {
  return {
    tradeId: TRADE_ID,
    sourceSystem: 'OMS1',
    sourceTradeId: 'T-1',
    version: 1,
    status: 'CAPTURED',
    tradeDate: '2026-11-20',
    executionTime: '2026-11-20T14:30:05.123Z',
    side: 'BUY',
    isin: 'US0378331005',
    quantity: '1000',
    price: '189.25',
    currency: 'USD',
    grossAmount: '189250.00',
    accruedInterest: '0.00',
    accruedDays: 0,
    commission: '10.00',
    fees: '1.20',
    netAmount: '189261.20',
    settlementDate: '2026-11-23',
    settlementCycle: 'T+1',
    settlementMarket: 'US',
    settlementType: 'DVP',
    book: 'EQ1',
    instrument: { description: 'Apple Inc.', assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
    counterparty: { lei: COUNTERPARTY_LEI, name: 'Broker A', bic: 'GSCMUS33XXX', country: 'US' },
    legalEntity: { lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' },
    ssis: { ours: ssi(OUR_LEI, 'SK-OURS', 'CASH-OURS'), theirs: ssi(COUNTERPARTY_LEI, 'SK-THEIRS', 'CASH-THEIRS') },
    exceptions: [],
    cancelReason: null,
    createdAt: '2026-11-20T14:30:06.000Z',
    updatedAt: '2026-11-20T14:30:06.000Z',
    ...overrides,
  };
}

export function sampleTradeAmended(overrides: Partial<TradeResource> = {}): TradeAmendedPayload {
  return { ...sampleTrade({ version: 2, status: 'AMENDED', quantity: '1200', ...overrides }), previous: sampleTrade() };
}

export const sampleCounterparty = (): CounterpartyResource => ({ lei: COUNTERPARTY_LEI, name: 'Broker A', aliases: ['BROKER A LTD'], country: 'US', bic: 'GSCMUS33XXX' });

export const sampleLegalEntity = (): LegalEntityResource => ({ lei: OUR_LEI, name: 'Our Fund', bic: 'DEUTDEFFXXX' });

export const sampleInstrument = (): InstrumentResource => ({
  isin: 'US0378331005',
  description: 'Apple Inc.',
  currency: 'USD',
  assetClass: 'EQUITY',
  priceType: 'UNIT',
  settlementMarket: 'US',
  csdrCategory: 'LIQUID_SHARE',
});

export const sampleMatch = (overrides: Partial<MatchResource> = {}): MatchResource => ({
  tradeId: TRADE_ID,
  confirmationId: 'CP-77',
  senderLei: COUNTERPARTY_LEI,
  status: 'AFFIRMED',
  breaks: [],
  profile: 'DEFAULT',
  updatedAt: '2026-11-20T15:00:00.000Z',
  ...overrides,
});

export const sampleComplianceDecision = (overrides: Partial<ComplianceDecisionResource> = {}): ComplianceDecisionResource => ({
  tradeId: TRADE_ID,
  tradeVersion: 1,
  outcome: 'CLEARED',
  alerts: [],
  ...overrides,
});

/** A settlement event as settlement publishes it: the instruction resource plus `change` (a full settlement by default). */
export function sampleSettlementEvent(overrides: Partial<SettlementEventPayload> = {}): SettlementEventPayload {
  const { ours, theirs } = sampleTrade().ssis;
  const carried = (s: SsiResource | null) => ({ agentBic: s!.agentBic, safekeepingAccount: s!.safekeepingAccount, cashAccount: s!.cashAccount, placeOfSettlement: s!.placeOfSettlement });
  return {
    instructionId: INSTRUCTION_ID,
    tradeIds: [TRADE_ID],
    type: 'DVP',
    direction: 'RECEIVE',
    isin: 'US0378331005',
    quantity: '1000',
    settlementAmount: '189261.20',
    currency: 'USD',
    intendedSettlementDate: '2026-11-23',
    settlementMarket: 'US',
    ssis: { ours: carried(ours), theirs: carried(theirs) },
    processingStatus: 'INSTRUCTED',
    matchingStatus: 'MATCHED',
    settlementStatus: 'SETTLED',
    holds: [],
    settledQuantity: '1000',
    settledAmount: '189261.20',
    history: [],
    change: { updateId: 'U-1', settledQuantity: '1000', settledAmount: '189261.20', effectiveDate: '2026-11-23' },
    ...overrides,
  };
}

/** A penalty-assessed event: the instruction and the penalty of one failing day. */
export function samplePenaltyAssessed(): SettlementEventPayload {
  return sampleSettlementEvent({
    settlementStatus: 'FAILING',
    settledQuantity: '0',
    settledAmount: '0',
    change: {
      penalty: {
        penaltyId: 'P-1',
        instructionId: INSTRUCTION_ID,
        date: '2026-11-24',
        counterpartyLei: COUNTERPARTY_LEI,
        isin: 'US0378331005',
        category: 'LIQUID_SHARE',
        failedQuantity: '1000',
        referencePrice: '189.25',
        rateBps: '1',
        amount: '18.93',
        currency: 'USD',
        direction: 'RECEIVE',
      },
    },
  });
}

export const sampleJournalEntry = (overrides: Partial<JournalEntryResource> = {}): JournalEntryResource => ({
  entryId: '7d1f3a2b-9c4e-4f5a-8b6c-1d2e3f4a5b6c',
  eventId: '11111111-2222-4333-8444-555555555555',
  tradeId: TRADE_ID,
  effectiveDate: '2026-11-23',
  postedAt: '2026-11-23T16:00:00.000Z',
  postings: [
    { account: 'book:EQ1:securities-settled', asset: 'US0378331005', debit: '1000', credit: '0' },
    { account: 'book:EQ1:cash-settled', asset: 'USD', debit: '0', credit: '189261.20' },
  ],
  chain: 'ledger.events.v1:0',
  hash: 'a'.repeat(64),
  previousHash: null,
  ...overrides,
});

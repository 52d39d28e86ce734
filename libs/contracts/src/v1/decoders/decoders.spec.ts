import { DomainError } from '@postrade/kernel';
import { EventTypes } from '../event-types';
import type { EventPayloads } from '../event-payloads';
import { decodeComplianceDecision } from './compliance-decision.decoder';
import { decodeJournalEntry } from './journal-entry.decoder';
import { decodeMatch } from './match.decoder';
import { decodeCounterparty, decodeInstrument, decodeLegalEntity } from './reference-data.decoders';
import { decodeEvent, EVENT_DECODERS, type DecodedEventType } from './registry';
import {
  sampleComplianceDecision,
  sampleCounterparty,
  sampleInstrument,
  sampleJournalEntry,
  sampleLegalEntity,
  sampleMatch,
  samplePenaltyAssessed,
  sampleSettlementEvent,
  sampleTrade,
  sampleTradeAmended,
} from './samples';
import { decodeSettlementEvent } from './settlement-event.decoder';
import { decodeCustodianRequest } from './custodian-request.decoder';
import { decodeTrade } from './trade.decoder';

/** The field paths of the DomainError `decode` throws on `data`; fails the test when it does not throw one. */
function rejectedFields(decode: (data: unknown) => unknown, data: unknown): string[] {
  try {
    decode(data);
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e) => e.field);
    throw error;
  }
  throw new Error('expected the payload to be rejected');
}

/** A copy of `value` with the field at `path` (`ssis.ours.cashAccount`, `postings[1].debit`) set to `to`, or removed when `to` is undefined. */
function withField(value: unknown, path: string, to: unknown): unknown {
  const copy = structuredClone(value) as Record<string, unknown>;
  const keys = path.split(/\.|\[|\]\.?/).filter((k) => k !== '');
  let at = copy as Record<string, unknown>;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys[keys.length - 1];
  if (to === undefined) delete at[last];
  else at[last] = to;
  return copy;
}

describe('the consumed-event decoders', () => {
  describe('contract: every decoder accepts a whole payload of each event type it decodes, as its producer sends it', () => {
    const samples: { [K in DecodedEventType]: EventPayloads[K] } = {
      [EventTypes.tradeCaptured]: sampleTrade(),
      [EventTypes.tradeAmended]: sampleTradeAmended(),
      [EventTypes.tradeCancelled]: sampleTrade({ status: 'CANCELLED', cancelReason: 'booked twice' }),
      [EventTypes.tradeEnriched]: sampleTrade(),
      [EventTypes.counterpartyUpserted]: sampleCounterparty(),
      [EventTypes.instrumentUpserted]: sampleInstrument(),
      [EventTypes.legalEntityUpserted]: sampleLegalEntity(),
      [EventTypes.ssiUpserted]: { lei: '529900T8BM49AURSDO55', settlementMarket: 'EU', currency: 'EUR', agentBic: 'DEUTDEFFXXX', safekeepingAccount: 'SK', cashAccount: 'C', placeOfSettlement: 'DAKVDEFFXXX' },
      [EventTypes.matchMatched]: sampleMatch({ status: 'MATCHED' }),
      [EventTypes.matchMismatched]: sampleMatch({ status: 'MISMATCHED' }),
      [EventTypes.matchAffirmed]: sampleMatch(),
      [EventTypes.matchAlleged]: sampleMatch({ tradeId: null, status: 'ALLEGED' }),
      [EventTypes.matchUnmatched]: sampleMatch({ confirmationId: null, senderLei: null, status: 'UNMATCHED' }),
      [EventTypes.matchCancelled]: sampleMatch({ status: 'CANCELLED' }),
      [EventTypes.complianceCleared]: sampleComplianceDecision(),
      [EventTypes.complianceHeld]: sampleComplianceDecision({ outcome: 'HELD' }),
      [EventTypes.complianceReleased]: sampleComplianceDecision({ outcome: 'RELEASED' }),
      [EventTypes.complianceRejected]: sampleComplianceDecision({ outcome: 'REJECTED' }),
      [EventTypes.settlementInstructed]: sampleSettlementEvent({ settlementStatus: 'PENDING', settledQuantity: '0', settledAmount: '0', change: {} }),
      [EventTypes.settlementPartiallySettled]: sampleSettlementEvent({ change: { settledQuantity: '400', settledAmount: '75704.48', effectiveDate: '2026-11-23' } }),
      [EventTypes.settlementSettled]: sampleSettlementEvent(),
      [EventTypes.settlementFailed]: sampleSettlementEvent({ settlementStatus: 'FAILING', change: { failingParty: 'COUNTERPARTY', reasonCode: 'LACK', effectiveDate: '2026-11-23' } }),
      [EventTypes.settlementCancelled]: sampleSettlementEvent({ processingStatus: 'CANCELLED', change: { reason: 'trade cancelled' } }),
      [EventTypes.settlementPenaltyAssessed]: samplePenaltyAssessed(),
      [EventTypes.settlementHoldRequest]: { ...sampleSettlementEvent(), reference: 'PTI0000000000000001', request: { requestId: 'PTH000001', action: 'HOLD' }, sese030: '<Document/>' },
      [EventTypes.settlementCancellationRequest]: { ...sampleSettlementEvent(), reference: 'PTI0000000000000001', request: { requestId: 'PTC000001', action: 'CANCEL', reason: 'REISSUED' }, sese020: '<Document/>' },
      [EventTypes.ledgerEntryPosted]: sampleJournalEntry(),
    };

    it.each(Object.keys(EVENT_DECODERS) as DecodedEventType[])('%s', (type) => {
      expect(() => decodeEvent(type, samples[type])).not.toThrow();
    });

    it('lists a decoder for every event type one service consumes from another (the outside world\'s inbound types excepted)', () => {
      const inbound = [EventTypes.tradeReported, EventTypes.tradeAcknowledged, EventTypes.confirmationReceived, EventTypes.settlementStatusReported, EventTypes.settlementInstruction, EventTypes.statementReceived];
      const reconBreaks = [EventTypes.reconBreakOpened, EventTypes.reconBreakChanged, EventTypes.reconBreakClosed];
      // Anchors are read back only by their own service's verify (libs/messaging/src/anchors), which checks their signature.
      const readByVerify = [EventTypes.auditChainsAnchored];
      const decoded = new Set(Object.keys(EVENT_DECODERS));
      const undecoded = Object.values(EventTypes).filter((type) => !decoded.has(type));
      expect(undecoded.sort()).toEqual([...inbound, ...reconBreaks, ...readByVerify].sort());
    });

    it('refuses a payload that is not a JSON object, for every decoder', () => {
      for (const decode of Object.values(EVENT_DECODERS)) {
        expect(rejectedFields(decode, 'a string')).toEqual(['payload']);
        expect(rejectedFields(decode, null)).toEqual(['payload']);
        expect(rejectedFields(decode, [])).toEqual(['payload']);
      }
    });
  });

  describe('decodeTrade', () => {
    it('reads the trade as its consumers use it: decimals as the strings sent, ids lower-cased, missing SSIs as null', () => {
      const view = decodeTrade({ ...sampleTrade({ tradeId: '0B6A9A43-3F7C-4A49-9A51-2A1F4F0C1E11', executionTime: null }), ssis: { ours: null, theirs: null } });
      expect(view).toMatchObject({
        tradeId: '0b6a9a43-3f7c-4a49-9a51-2a1f4f0c1e11',
        netAmount: '189261.20',
        grossAmount: '189250.00',
        accruedInterest: '0.00',
        executionTime: null,
        instrument: { assetClass: 'EQUITY', priceType: 'UNIT', csdrCategory: 'LIQUID_SHARE' },
        counterparty: { lei: '5493001KJTIIGC8Y1R12', name: 'Broker A' },
        ssis: { ours: null, theirs: null },
      });
    });

    it('carries both SSIs as an instruction needs them', () => {
      expect(decodeTrade(sampleTrade()).ssis.ours).toEqual({ agentBic: 'IRVTUS3NXXX', safekeepingAccount: 'SK-OURS', cashAccount: 'CASH-OURS', placeOfSettlement: 'DTCYUS33XXX' });
    });

    it.each([
      'tradeId', 'sourceSystem', 'sourceTradeId', 'version', 'status', 'tradeDate', 'side', 'isin', 'quantity', 'price', 'currency', 'grossAmount',
      'accruedInterest', 'netAmount', 'settlementDate', 'settlementMarket', 'settlementType', 'book', 'instrument', 'instrument.assetClass',
      'instrument.priceType', 'instrument.csdrCategory', 'counterparty', 'counterparty.lei', 'counterparty.name', 'legalEntity', 'legalEntity.lei',
      'legalEntity.name', 'ssis', 'ssis.ours.agentBic', 'ssis.ours.safekeepingAccount', 'ssis.ours.cashAccount', 'ssis.ours.placeOfSettlement',
      'ssis.theirs.safekeepingAccount', 'createdAt', 'updatedAt',
    ])('refuses a trade without %s, naming it', (path) => {
      expect(rejectedFields(decodeTrade, withField(sampleTrade(), path, undefined))).toEqual([path]);
    });

    it.each([
      ['tradeId', 'T-1'],
      ['version', 0],
      ['version', '1'],
      ['status', 'NEW'],
      ['tradeDate', '20/11/2026'],
      ['executionTime', 'yesterday'],
      ['side', 'SHORT'],
      ['quantity', 1000],
      ['quantity', '0'],
      ['price', '1,5'],
      ['currency', 'XYZ'],
      ['grossAmount', 189250],
      ['netAmount', '189261.205'],
      ['netAmount', '-1.00'],
      ['settlementDate', '2026-13-01'],
      ['settlementMarket', 'MARS'],
      ['settlementType', 'RVP'],
      ['instrument.assetClass', 'CRYPTO'],
      ['instrument.priceType', 'PER_UNIT'],
      ['instrument.csdrCategory', 'LIQUID_SHARES'],
      ['ssis.ours', 'SK-1'],
      ['updatedAt', 'later'],
    ])('refuses a trade whose %s is %p, naming it', (path, value) => {
      expect(rejectedFields(decodeTrade, withField(sampleTrade(), path, value))).toEqual([path]);
    });
  });

  describe('decodeCustodianRequest', () => {
    it('reads a hold request with its sese.030 and a cancellation request with its sese.020, naming a field that is missing', () => {
      const base = { ...sampleSettlementEvent(), reference: 'PTI0000000000000001' };
      expect(decodeCustodianRequest({ ...base, request: { requestId: 'PTH1', action: 'RELEASE' }, sese030: '<a/>' })).toEqual({
        instructionId: base.instructionId, reference: 'PTI0000000000000001', requestId: 'PTH1', action: 'RELEASE', reason: null, xml: '<a/>',
      });
      expect(decodeCustodianRequest({ ...base, request: { requestId: 'PTC1', action: 'CANCEL', reason: 'REISSUED' }, sese020: '<b/>' }).xml).toBe('<b/>');
      expect(rejectedFields(decodeCustodianRequest, { ...base, request: { requestId: 'PTC1', action: 'CANCEL' }, sese030: '<b/>' })).toEqual(['sese020']);
      expect(rejectedFields(decodeCustodianRequest, { ...base, request: { requestId: 'PTC1', action: 'STOP' }, sese030: '<b/>' })).toEqual(['request.action']);
    });
  });

  describe('decodeSettlementEvent', () => {
    it('reads a settlement: the instruction, our SSI and what the change settled', () => {
      expect(decodeSettlementEvent(sampleSettlementEvent())).toMatchObject({
        tradeIds: ['0b6a9a43-3f7c-4a49-9a51-2a1f4f0c1e11'],
        type: 'DVP',
        direction: 'RECEIVE',
        settlementAmount: '189261.20',
        ssis: { ours: { safekeepingAccount: 'SK-OURS', cashAccount: 'CASH-OURS' } },
        change: { settledQuantity: '1000', settledAmount: '189261.20', effectiveDate: '2026-11-23', penalty: null },
      });
    });

    it('reads an instruction without our SSI (none on file when it was instructed) as ours: null', () => {
      expect(decodeSettlementEvent(withField(sampleSettlementEvent(), 'ssis.ours', null)).ssis).toEqual({ ours: null });
    });

    it('leaves the change fields an event type does not carry null', () => {
      expect(decodeSettlementEvent(sampleSettlementEvent({ change: {} })).change).toEqual({ settledQuantity: null, settledAmount: null, effectiveDate: null, penalty: null });
    });

    it('reads the penalty of a penalty-assessed event', () => {
      expect(decodeSettlementEvent(samplePenaltyAssessed()).change.penalty).toEqual({
        penaltyId: 'P-1',
        instructionId: '3f2b8c1e-4d5a-4e6f-8a9b-0c1d2e3f4a5b',
        counterpartyLei: '5493001KJTIIGC8Y1R12',
        date: '2026-11-24',
        amount: '18.93',
        currency: 'USD',
        direction: 'RECEIVE',
      });
    });

    it.each([
      'instructionId', 'tradeIds', 'type', 'direction', 'isin', 'settlementAmount', 'currency', 'intendedSettlementDate', 'settlementMarket',
      'ssis', 'ssis.ours.safekeepingAccount', 'ssis.ours.cashAccount', 'change',
    ])('refuses a settlement event without %s, naming it', (path) => {
      expect(rejectedFields(decodeSettlementEvent, withField(sampleSettlementEvent(), path, undefined))).toEqual([path]);
    });

    it.each(['change.penalty.penaltyId', 'change.penalty.instructionId', 'change.penalty.counterpartyLei', 'change.penalty.date', 'change.penalty.amount', 'change.penalty.currency', 'change.penalty.direction'])(
      'refuses a penalty without %s, naming it',
      (path) => {
        expect(rejectedFields(decodeSettlementEvent, withField(samplePenaltyAssessed(), path, undefined))).toEqual([path]);
      },
    );

    it.each([
      ['tradeIds', []],
      ['tradeIds[0]', 'T-1'],
      ['type', 'RVP'],
      ['direction', 'BOTH'],
      ['currency', 'usd'],
      ['intendedSettlementDate', '23.11.2026'],
      ['change.settledQuantity', 400],
      ['change.settledAmount', '75704.485'],
      ['change.effectiveDate', 'today'],
    ])('refuses a settlement event whose %s is %p, naming it', (path, value) => {
      expect(rejectedFields(decodeSettlementEvent, withField(sampleSettlementEvent(), path, value))).toEqual([path]);
    });

    it.each([
      ['change.penalty.amount', '18.931'],
      ['change.penalty.direction', 'OWE'],
    ])('refuses a penalty whose %s is %p, naming it', (path, value) => {
      expect(rejectedFields(decodeSettlementEvent, withField(samplePenaltyAssessed(), path, value))).toEqual([path]);
    });
  });

  describe('decodeMatch', () => {
    it('reads the trade and the status; an alleged match has no trade', () => {
      expect(decodeMatch(sampleMatch())).toEqual({ tradeId: '0b6a9a43-3f7c-4a49-9a51-2a1f4f0c1e11', status: 'AFFIRMED' });
      expect(decodeMatch(sampleMatch({ tradeId: null, status: 'ALLEGED' }))).toEqual({ tradeId: null, status: 'ALLEGED' });
    });

    it('names a missing or unknown status and a malformed trade id', () => {
      expect(rejectedFields(decodeMatch, withField(sampleMatch(), 'status', undefined))).toEqual(['status']);
      expect(rejectedFields(decodeMatch, withField(sampleMatch(), 'status', 'PAIRED'))).toEqual(['status']);
      expect(rejectedFields(decodeMatch, withField(sampleMatch(), 'tradeId', 'T-1'))).toEqual(['tradeId']);
    });
  });

  describe('decodeComplianceDecision', () => {
    it('reads the trade, the version screened and the outcome', () => {
      expect(decodeComplianceDecision(sampleComplianceDecision({ outcome: 'HELD', tradeVersion: 3 }))).toEqual({ tradeId: '0b6a9a43-3f7c-4a49-9a51-2a1f4f0c1e11', tradeVersion: 3, outcome: 'HELD' });
    });

    it.each([
      ['tradeId', undefined],
      ['tradeId', 'T-1'],
      ['tradeVersion', undefined],
      ['tradeVersion', 1.5],
      ['outcome', undefined],
      ['outcome', 'MAYBE'],
    ])('refuses a decision whose %s is %p, naming it', (path, value) => {
      expect(rejectedFields(decodeComplianceDecision, withField(sampleComplianceDecision(), path, value))).toEqual([path]);
    });
  });

  describe('decodeJournalEntry', () => {
    it('reads the entry and its postings, decimals as sent', () => {
      const view = decodeJournalEntry(sampleJournalEntry({ tradeId: null }));
      expect(view).toMatchObject({ tradeId: null, effectiveDate: '2026-11-23' });
      expect(view.postings[1]).toEqual({ account: 'book:EQ1:cash-settled', asset: 'USD', debit: '0', credit: '189261.20' });
    });

    it.each([
      ['entryId', undefined],
      ['tradeId', 'T-1'],
      ['effectiveDate', undefined],
      ['postings', undefined],
      ['postings[1].account', undefined],
      ['postings[1].asset', undefined],
      ['postings[1].debit', 0],
      ['postings[0].credit', undefined],
    ])('refuses an entry whose %s is %p, naming it', (path, value) => {
      expect(rejectedFields(decodeJournalEntry, withField(sampleJournalEntry(), path, value))).toEqual([path]);
    });
  });

  describe('reference data', () => {
    it('reads a counterparty (no aliases read as none), a legal entity and an instrument', () => {
      expect(decodeCounterparty(sampleCounterparty())).toEqual({ lei: '5493001KJTIIGC8Y1R12', name: 'Broker A', aliases: ['BROKER A LTD'] });
      expect(decodeCounterparty(withField(sampleCounterparty(), 'aliases', undefined))).toMatchObject({ aliases: [] });
      expect(decodeLegalEntity(sampleLegalEntity())).toEqual({ lei: '529900T8BM49AURSDO55', name: 'Our Fund' });
      expect(decodeInstrument(sampleInstrument())).toEqual({ isin: 'US0378331005', assetClass: 'EQUITY' });
    });

    it('names the missing or malformed field', () => {
      expect(rejectedFields(decodeCounterparty, withField(sampleCounterparty(), 'name', undefined))).toEqual(['name']);
      expect(rejectedFields(decodeCounterparty, withField(sampleCounterparty(), 'aliases', [1]))).toEqual(['aliases']);
      expect(rejectedFields(decodeLegalEntity, withField(sampleLegalEntity(), 'lei', ''))).toEqual(['lei']);
      expect(rejectedFields(decodeInstrument, withField(sampleInstrument(), 'isin', undefined))).toEqual(['isin']);
      expect(rejectedFields(decodeInstrument, withField(sampleInstrument(), 'assetClass', 'CRYPTO'))).toEqual(['assetClass']);
    });
  });
});

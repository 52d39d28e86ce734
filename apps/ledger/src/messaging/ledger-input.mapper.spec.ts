import { EventTypes, type EventEnvelope } from '@postrade/contracts';
import { samplePenaltyAssessed, sampleSettlementEvent, sampleTrade } from '@postrade/contracts/testing';
import { DomainError } from '@postrade/kernel';
import { ledgerInputOf } from './ledger-input.mapper';

// What a malformed event is refused for is the shared decoders' (libs/contracts decoders.spec.ts);
// these cover what the ledger makes of a decoded one.
const TRADE_ID = sampleTrade().tradeId;

function envelope(type: string, data: unknown): EventEnvelope<unknown> {
  return { id: '11111111-2222-4333-8444-555555555555', source: 'test', type, time: '2026-11-20T15:00:00Z', subject: TRADE_ID, data };
}

function rejection(run: () => unknown): DomainError {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('reading consumed events as ledger inputs', () => {
  it('reads a captured trade resource as the terms the ledger books', () => {
    const input = ledgerInputOf(envelope(EventTypes.tradeCaptured, sampleTrade()));
    expect(input).toMatchObject({ kind: 'trade', action: 'CAPTURED', updatedAt: '2026-11-20T14:30:06.000Z', terms: { tradeId: TRADE_ID, book: 'EQ1', counterpartyLei: '5493001KJTIIGC8Y1R12', tradeDate: '2026-11-20' } });
    expect(input.kind === 'trade' && input.terms.netAmount.toFixed()).toBe('189261.2');
    expect(input.kind === 'trade' && input.terms.quantity.toFixed()).toBe('1000');
  });

  it('reads an enriched trade as one that books nothing new', () => {
    expect(ledgerInputOf(envelope(EventTypes.tradeEnriched, sampleTrade()))).toMatchObject({ kind: 'trade', action: 'ENRICHED' });
  });

  it('refuses a trade event the shared decoder refuses, naming the field (a net amount finer than the currency minor unit)', () => {
    expect(rejection(() => ledgerInputOf(envelope(EventTypes.tradeCaptured, { ...sampleTrade(), netAmount: '1.005' }))).errors).toEqual([{ field: 'netAmount', message: expect.stringContaining('minor unit') }]);
  });

  it('reads what a partial settlement settled, dated by its effective date', () => {
    const input = ledgerInputOf(envelope(EventTypes.settlementPartiallySettled, sampleSettlementEvent({ change: { settledQuantity: '400', settledAmount: '75704.48', effectiveDate: '2026-11-24' } })));
    expect(input).toMatchObject({ kind: 'settlement', final: false, effectiveDate: '2026-11-24', tradeIds: [TRADE_ID], currency: 'USD' });
    expect(input.kind === 'settlement' && [input.settledQuantity?.toFixed(), input.settledAmount?.toFixed()]).toEqual(['400', '75704.48']);
  });

  it('reads a free-of-payment instruction as one that settles no cash', () => {
    expect(ledgerInputOf(envelope(EventTypes.settlementSettled, sampleSettlementEvent({ type: 'FOP', change: {} })))).toMatchObject({ kind: 'settlement', freeOfPayment: true });
    expect(ledgerInputOf(envelope(EventTypes.settlementSettled, sampleSettlementEvent({ change: {} })))).toMatchObject({ freeOfPayment: false });
  });

  it('reads a settlement without what it settled as the remainder, dated on the intended settlement date', () => {
    const input = ledgerInputOf(envelope(EventTypes.settlementSettled, sampleSettlementEvent({ change: {} })));
    expect(input).toMatchObject({ kind: 'settlement', final: true, effectiveDate: '2026-11-23' });
    expect(input.kind === 'settlement' && [input.settledQuantity, input.settledAmount]).toEqual([undefined, undefined]);
  });

  it('reads the penalty of a penalty-assessed event, with the CSD of our SSI', () => {
    expect(ledgerInputOf(envelope(EventTypes.settlementPenaltyAssessed, samplePenaltyAssessed()))).toMatchObject({
      kind: 'penalty',
      penaltyId: 'P-1',
      direction: 'RECEIVE',
      currency: 'USD',
      date: '2026-11-24',
      csd: 'DTCYUS33XXX',
      tradeIds: [TRADE_ID],
    });
    expect(ledgerInputOf(envelope(EventTypes.settlementPenaltyAssessed, { ...samplePenaltyAssessed(), ssis: { ours: null, theirs: null } }))).toMatchObject({ kind: 'penalty', csd: null });
  });

  it('refuses a penalty-assessed event without its penalty, naming it', () => {
    expect(rejection(() => ledgerInputOf(envelope(EventTypes.settlementPenaltyAssessed, sampleSettlementEvent({ change: {} })))).errors[0].field).toBe('change.penalty');
  });

  it.each([EventTypes.settlementInstructed, EventTypes.settlementFailed, EventTypes.settlementCancelled])('books nothing for %s', (type) => {
    expect(ledgerInputOf(envelope(type, sampleSettlementEvent({ change: {} })))).toMatchObject({ kind: 'no-booking' });
  });
});

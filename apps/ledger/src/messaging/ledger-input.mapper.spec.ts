import { EventTypes, type EventEnvelope } from '@postrade/contracts';
import { DomainError } from '@postrade/kernel';
import { ledgerInputOf } from './ledger-input.mapper';

const TRADE_ID = '0b6a9a43-3f7c-4a49-9a51-2a1f4f0c1e11';

function envelope(type: string, data: unknown): EventEnvelope<unknown> {
  return { id: '11111111-2222-4333-8444-555555555555', source: 'test', type, time: '2026-11-20T15:00:00Z', subject: TRADE_ID, data };
}

const trade = {
  tradeId: TRADE_ID,
  version: 1,
  status: 'CAPTURED',
  side: 'BUY',
  book: 'EQ1',
  isin: 'US0378331005',
  currency: 'USD',
  quantity: '1000',
  netAmount: '189261.20',
  tradeDate: '2026-11-20',
  updatedAt: '2026-11-20T15:00:00Z',
  counterparty: { lei: '5493001KJTIIGC8Y1R12' },
};

const instruction = { instructionId: 'I-1', type: 'DVP', tradeIds: [TRADE_ID], isin: 'US0378331005', currency: 'USD', intendedSettlementDate: '2026-11-23' };

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
    const input = ledgerInputOf(envelope(EventTypes.tradeCaptured, trade));
    expect(input).toMatchObject({ kind: 'trade', action: 'CAPTURED', terms: { tradeId: TRADE_ID, book: 'EQ1', counterpartyLei: '5493001KJTIIGC8Y1R12', tradeDate: '2026-11-20' } });
    expect(input.kind === 'trade' && input.terms.netAmount.toFixed()).toBe('189261.2');
  });

  it('reads an enriched trade as one that books nothing new', () => {
    expect(ledgerInputOf(envelope(EventTypes.tradeEnriched, trade))).toMatchObject({ kind: 'trade', action: 'ENRICHED' });
  });

  it('rejects a net amount finer than the currency minor unit, naming the field', () => {
    expect(rejection(() => ledgerInputOf(envelope(EventTypes.tradeCaptured, { ...trade, netAmount: '1.005' }))).errors).toEqual([{ field: 'netAmount', message: expect.stringContaining('minor unit') }]);
  });

  it('rejects a quantity that is not positive, naming the field', () => {
    expect(rejection(() => ledgerInputOf(envelope(EventTypes.tradeCaptured, { ...trade, quantity: '0' }))).errors[0].field).toBe('quantity');
  });

  it('rejects a quantity sent as a JSON number, naming the field', () => {
    expect(rejection(() => ledgerInputOf(envelope(EventTypes.tradeCaptured, { ...trade, quantity: 1000 }))).errors[0].field).toBe('quantity');
  });

  it('reads what a partial settlement settled, dated by its effective date', () => {
    const input = ledgerInputOf(envelope(EventTypes.settlementPartiallySettled, { ...instruction, change: { settledQuantity: '400', settledAmount: '75704.48', effectiveDate: '2026-11-24' } }));
    expect(input).toMatchObject({ kind: 'settlement', final: false, effectiveDate: '2026-11-24', tradeIds: [TRADE_ID] });
  });

  it('reads a free-of-payment instruction as one that settles no cash', () => {
    const input = ledgerInputOf(envelope(EventTypes.settlementSettled, { ...instruction, type: 'FOP', change: {} }));
    expect(input).toMatchObject({ kind: 'settlement', freeOfPayment: true });
    expect(ledgerInputOf(envelope(EventTypes.settlementSettled, { ...instruction, change: {} }))).toMatchObject({ freeOfPayment: false });
  });

  it('dates a settlement without an effective date on the intended settlement date', () => {
    expect(ledgerInputOf(envelope(EventTypes.settlementSettled, { ...instruction, change: {} }))).toMatchObject({ kind: 'settlement', final: true, effectiveDate: '2026-11-23' });
  });

  it('reads the penalty of a penalty-assessed event', () => {
    const penalty = { penaltyId: 'P-1', counterpartyLei: '5493001KJTIIGC8Y1R12', amount: '12.34', currency: 'EUR', direction: 'PAY', date: '2026-11-25' };
    expect(ledgerInputOf(envelope(EventTypes.settlementPenaltyAssessed, { ...instruction, change: { penalty } }))).toMatchObject({ kind: 'penalty', direction: 'PAY', currency: 'EUR', date: '2026-11-25' });
  });

  it.each([EventTypes.settlementInstructed, EventTypes.settlementFailed, EventTypes.settlementCancelled])('books nothing for %s', (type) => {
    expect(ledgerInputOf(envelope(type, { ...instruction, change: {} }))).toMatchObject({ kind: 'no-booking' });
  });
});

import { Decimal } from '@postrade/kernel';
import type { Leg } from './legs';
import type { PenaltyEvent, SettlementEvent, TradeEvent, TradeTerms } from './ledger-inputs';

/** Small factories for the ledger's unit and property tests. */
let sequence = 0;
export const nextEventId = (): string => `00000000-0000-4000-8000-${String(++sequence).padStart(12, '0')}`;

export function terms(overrides: Partial<Omit<TradeTerms, 'quantity' | 'netAmount'>> & { quantity?: string; netAmount?: string } = {}): TradeTerms {
  const { quantity = '1000', netAmount = '189261.20', ...rest } = overrides;
  return {
    tradeId: 'T-1',
    version: 1,
    side: 'BUY',
    book: 'EQ1',
    isin: 'US0378331005',
    currency: 'USD',
    counterpartyLei: '5493001KJTIIGC8Y1R12',
    tradeDate: '2026-11-23',
    freeOfPayment: false,
    ...rest,
    quantity: new Decimal(quantity),
    netAmount: new Decimal(netAmount),
  };
}

export function tradeEvent(action: TradeEvent['action'], t: TradeTerms, updatedAt = `${t.tradeDate}T15:00:00.000Z`): TradeEvent {
  return { kind: 'trade', eventId: nextEventId(), eventType: `postrade.trade.${action.toLowerCase()}.v1`, action, terms: t, updatedAt };
}

export function settlement(tradeIds: string[], change: { quantity?: string; amount?: string; final?: boolean; date?: string; isin?: string; currency?: string; freeOfPayment?: boolean } = {}): SettlementEvent {
  return {
    kind: 'settlement',
    eventId: nextEventId(),
    eventType: change.final ? 'postrade.settlement.settled.v1' : 'postrade.settlement.partially-settled.v1',
    instructionId: `I-${tradeIds.join('+')}`,
    tradeIds,
    isin: change.isin ?? 'US0378331005',
    currency: change.currency ?? 'USD',
    final: change.final ?? false,
    freeOfPayment: change.freeOfPayment ?? false,
    settledQuantity: change.quantity === undefined ? undefined : new Decimal(change.quantity),
    settledAmount: change.amount === undefined ? undefined : new Decimal(change.amount),
    effectiveDate: change.date ?? '2026-11-24',
  };
}

export function penalty(
  direction: 'PAY' | 'RECEIVE',
  amount: string,
  tradeIds = ['T-1'],
  more: { penaltyId?: string; counterpartyLei?: string; csd?: string | null; date?: string } = {},
): PenaltyEvent {
  return {
    kind: 'penalty',
    eventId: nextEventId(),
    eventType: 'postrade.settlement.penalty-assessed.v1',
    instructionId: 'I-1',
    tradeIds,
    penaltyId: more.penaltyId ?? 'P-1',
    counterpartyLei: more.counterpartyLei ?? '5493001KJTIIGC8Y1R12',
    csd: more.csd === undefined ? 'DAKVDEFFXXX' : more.csd,
    amount: new Decimal(amount),
    currency: 'EUR',
    direction,
    date: more.date ?? '2026-11-25',
  };
}

/** Legs as `account asset ±amount` lines: easy to read in an expectation. */
export function described(legs: readonly Leg[]): string[] {
  return legs.map((l) => `${l.account.code} ${l.asset} ${l.amount.isNegative() ? '' : '+'}${l.amount.toFixed()}`);
}

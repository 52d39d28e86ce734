import { Decimal, DomainError } from '@postrade/kernel';
import { decodeSettlementEvent, decodeTrade, eventTypesOn, EventTypes, fromHeaders, Topics, type EventEnvelope } from '@postrade/contracts';
import type { RawMessage } from '@postrade/messaging';
import type { LedgerInput, TradeEvent } from '../domain/ledger-inputs';

export const TRADE_EVENT_TYPES = eventTypesOn(Topics.tradeCaptureTrades);
export const SETTLEMENT_EVENT_TYPES = eventTypesOn(Topics.settlementEvents);

const TRADE_ACTIONS: Record<string, TradeEvent['action']> = {
  [EventTypes.tradeCaptured]: 'CAPTURED',
  [EventTypes.tradeAmended]: 'AMENDED',
  [EventTypes.tradeCancelled]: 'CANCELLED',
  [EventTypes.tradeEnriched]: 'ENRICHED',
};

/** A `trade-capture.trades.v1` event (the trade resource) as the ledger books it. */
export function tradeEventOf(envelope: EventEnvelope<unknown>): TradeEvent {
  const action = TRADE_ACTIONS[envelope.type];
  if (!action) throw DomainError.invalid('ce_type', `${envelope.type} is not a trade event`);
  const trade = decodeTrade(envelope.data);
  return {
    kind: 'trade',
    eventId: envelope.id,
    eventType: envelope.type,
    action,
    updatedAt: trade.updatedAt,
    terms: {
      tradeId: trade.tradeId,
      version: trade.version,
      side: trade.side,
      book: trade.book,
      isin: trade.isin,
      currency: trade.currency,
      counterpartyLei: trade.counterparty.lei,
      quantity: new Decimal(trade.quantity),
      netAmount: new Decimal(trade.netAmount),
      tradeDate: trade.tradeDate,
      // FOP moves securities only: the ledger books no cash for the trade.
      freeOfPayment: trade.settlementType === 'FOP',
    },
  };
}

/** A `settlement.events.v1` event (the instruction resource plus the change) as the ledger books it. */
export function settlementEventOf(envelope: EventEnvelope<unknown>): LedgerInput {
  const settled = envelope.type === EventTypes.settlementSettled || envelope.type === EventTypes.settlementPartiallySettled;
  if (!settled && envelope.type !== EventTypes.settlementPenaltyAssessed) return { kind: 'no-booking', eventId: envelope.id, eventType: envelope.type };
  const instruction = decodeSettlementEvent(envelope.data);
  const common = { eventId: envelope.id, eventType: envelope.type, instructionId: instruction.instructionId, tradeIds: instruction.tradeIds };
  const { change } = instruction;
  if (settled) {
    return {
      kind: 'settlement',
      ...common,
      isin: instruction.isin,
      currency: instruction.currency,
      final: envelope.type === EventTypes.settlementSettled,
      freeOfPayment: instruction.type === 'FOP',
      settledQuantity: change.settledQuantity === null ? undefined : new Decimal(change.settledQuantity),
      settledAmount: change.settledAmount === null ? undefined : new Decimal(change.settledAmount),
      effectiveDate: change.effectiveDate ?? instruction.intendedSettlementDate,
    };
  }
  const penalty = change.penalty;
  if (penalty === null) throw DomainError.invalid('change.penalty', 'is required for a penalty-assessed event');
  return {
    kind: 'penalty',
    ...common,
    penaltyId: penalty.penaltyId,
    counterpartyLei: penalty.counterpartyLei,
    csd: instruction.ssis.ours?.placeOfSettlement ?? null,
    amount: new Decimal(penalty.amount),
    currency: penalty.currency,
    direction: penalty.direction,
    date: penalty.date,
  };
}

/** Any event the ledger consumes, by its type. */
export function ledgerInputOf(envelope: EventEnvelope<unknown>): LedgerInput {
  return TRADE_ACTIONS[envelope.type] ? tradeEventOf(envelope) : settlementEventOf(envelope);
}

/** Re-reads a message kept in the parking lot as the ledger input it carries. */
export function ledgerInputOfMessage(message: RawMessage): LedgerInput {
  return ledgerInputOf({ ...fromHeaders(message.headers), data: JSON.parse(message.value) as unknown });
}

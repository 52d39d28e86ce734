import { DomainError } from '@postrade/kernel';
import { eventTypesOn, EventTypes, fromHeaders, PayloadFields, Topics, type EventEnvelope } from '@postrade/contracts';
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
  const trade = PayloadFields.of(envelope.data);
  const currency = trade.currency('currency');
  return {
    kind: 'trade',
    eventId: envelope.id,
    eventType: envelope.type,
    action,
    updatedAt: trade.instant('updatedAt'),
    terms: {
      tradeId: trade.uuid('tradeId'),
      version: trade.integer('version'),
      side: trade.oneOf('side', ['BUY', 'SELL'] as const),
      book: trade.text('book'),
      isin: trade.text('isin'),
      currency,
      counterpartyLei: trade.object('counterparty').text('lei'),
      quantity: trade.positive('quantity'),
      netAmount: trade.positiveMoney('netAmount', currency),
      tradeDate: trade.date('tradeDate'),
    },
  };
}

/** A `settlement.events.v1` event (the instruction resource plus the change) as the ledger books it. */
export function settlementEventOf(envelope: EventEnvelope<unknown>): LedgerInput {
  const instruction = PayloadFields.of(envelope.data);
  const common = { eventId: envelope.id, eventType: envelope.type, instructionId: instruction.text('instructionId') };
  switch (envelope.type) {
    case EventTypes.settlementSettled:
    case EventTypes.settlementPartiallySettled: {
      const change = instruction.object('change');
      const currency = instruction.currency('currency');
      return {
        kind: 'settlement',
        ...common,
        tradeIds: instruction.uuids('tradeIds'),
        isin: instruction.text('isin'),
        currency,
        final: envelope.type === EventTypes.settlementSettled,
        freeOfPayment: instruction.oneOf('type', ['DVP', 'FOP'] as const) === 'FOP',
        settledQuantity: change.optionalDecimal('settledQuantity') ?? undefined,
        settledAmount: change.optionalMoney('settledAmount', currency) ?? undefined,
        effectiveDate: change.has('effectiveDate') ? change.date('effectiveDate') : instruction.date('intendedSettlementDate'),
      };
    }
    case EventTypes.settlementPenaltyAssessed: {
      const penalty = instruction.object('change').object('penalty');
      const currency = penalty.currency('currency');
      return {
        kind: 'penalty',
        ...common,
        tradeIds: instruction.uuids('tradeIds'),
        penaltyId: penalty.text('penaltyId'),
        counterpartyLei: penalty.text('counterpartyLei'),
        amount: penalty.money('amount', currency),
        currency,
        direction: penalty.oneOf('direction', ['PAY', 'RECEIVE'] as const),
        date: penalty.date('date'),
      };
    }
    default:
      return { kind: 'no-booking', eventId: envelope.id, eventType: envelope.type };
  }
}

/** Any event the ledger consumes, by its type. */
export function ledgerInputOf(envelope: EventEnvelope<unknown>): LedgerInput {
  return TRADE_ACTIONS[envelope.type] ? tradeEventOf(envelope) : settlementEventOf(envelope);
}

/** Re-reads a message kept in the parking lot as the ledger input it carries. */
export function ledgerInputOfMessage(message: RawMessage): LedgerInput {
  return ledgerInputOf({ ...fromHeaders(message.headers), data: JSON.parse(message.value) as unknown });
}

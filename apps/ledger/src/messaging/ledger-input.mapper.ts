import { assertCurrency, decimalPlaces, DomainError, minorUnits, parseDecimal, type Decimal } from '@postrade/kernel';
import { EventTypes, fromHeaders, type EventEnvelope } from '@postrade/contracts';
import type { RawMessage } from '@postrade/messaging';
import type { LedgerInput, TradeEvent } from '../domain/ledger-inputs';

export const TRADE_EVENT_TYPES = [EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled, EventTypes.tradeEnriched];
export const SETTLEMENT_EVENT_TYPES = [
  EventTypes.settlementInstructed,
  EventTypes.settlementPartiallySettled,
  EventTypes.settlementSettled,
  EventTypes.settlementFailed,
  EventTypes.settlementCancelled,
  EventTypes.settlementPenaltyAssessed,
];

const TRADE_ACTIONS: Record<string, TradeEvent['action']> = {
  [EventTypes.tradeCaptured]: 'CAPTURED',
  [EventTypes.tradeAmended]: 'AMENDED',
  [EventTypes.tradeCancelled]: 'CANCELLED',
  [EventTypes.tradeEnriched]: 'ENRICHED',
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** Reads fields of an event payload, rejecting with the field's name what the ledger cannot book. */
class Fields {
  constructor(private readonly data: Record<string, unknown>, private readonly prefix = '') {}

  private raw(name: string): unknown {
    return this.data[name];
  }

  private name(field: string): string {
    return `${this.prefix}${field}`;
  }

  text(field: string): string {
    const value = this.raw(field);
    if (typeof value !== 'string' || value.trim() === '') throw DomainError.invalid(this.name(field), 'is required');
    return value;
  }

  optionalText(field: string): string | undefined {
    return this.raw(field) === undefined || this.raw(field) === null ? undefined : this.text(field);
  }

  uuid(field: string): string {
    const value = this.text(field);
    if (!UUID.test(value)) throw DomainError.invalid(this.name(field), `"${value}" is not a UUID`);
    return value.toLowerCase();
  }

  date(field: string): string {
    const value = this.text(field);
    if (!DATE.test(value)) throw DomainError.invalid(this.name(field), 'must be a date as YYYY-MM-DD');
    return value;
  }

  instant(field: string): string {
    const value = this.text(field);
    if (Number.isNaN(Date.parse(value))) throw DomainError.invalid(this.name(field), 'must be an ISO 8601 instant');
    return value;
  }

  decimal(field: string): Decimal {
    return parseDecimal(this.raw(field) as string, this.name(field));
  }

  positive(value: Decimal, field: string): Decimal {
    if (!value.gt(0)) throw DomainError.invalid(this.name(field), 'must be positive');
    return value;
  }

  currency(field: string): string {
    const value = this.text(field);
    try {
      return assertCurrency(value);
    } catch {
      throw DomainError.invalid(this.name(field), `"${value}" is not an ISO 4217 currency code`);
    }
  }

  /** An amount of `currency`: more decimals than its minor unit would be booked to a fraction of a cent. */
  money(field: string, currency: string): Decimal {
    const amount = this.decimal(field);
    if (decimalPlaces(this.raw(field) as string) > minorUnits(currency)) {
      throw DomainError.invalid(this.name(field), `has more decimals than ${currency}'s minor unit (${minorUnits(currency)})`);
    }
    return amount;
  }

  optionalMoney(field: string, currency: string): Decimal | undefined {
    return this.raw(field) === undefined || this.raw(field) === null ? undefined : this.money(field, currency);
  }

  optionalDecimal(field: string): Decimal | undefined {
    return this.raw(field) === undefined || this.raw(field) === null ? undefined : this.decimal(field);
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const value = this.text(field);
    if (!allowed.includes(value as T)) throw DomainError.invalid(this.name(field), `must be one of ${allowed.join(', ')}`);
    return value as T;
  }

  integer(field: string): number {
    const value = this.raw(field);
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) throw DomainError.invalid(this.name(field), 'must be a whole number, at least 1');
    return value;
  }

  nested(field: string): Fields {
    const value = this.raw(field);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw DomainError.invalid(this.name(field), 'is required');
    return new Fields(value as Record<string, unknown>, `${this.name(field)}.`);
  }

  uuids(field: string): string[] {
    const value = this.raw(field);
    if (!Array.isArray(value) || value.length === 0) throw DomainError.invalid(this.name(field), 'must list at least one trade id');
    return value.map((id, i) => {
      if (typeof id !== 'string' || !UUID.test(id)) throw DomainError.invalid(`${this.name(field)}[${i}]`, 'is not a UUID');
      return id.toLowerCase();
    });
  }
}

function fieldsOf(envelope: EventEnvelope<unknown>): Fields {
  if (typeof envelope.data !== 'object' || envelope.data === null) throw DomainError.invalid('data', 'must be a JSON object');
  return new Fields(envelope.data as Record<string, unknown>);
}

/** A `trade-capture.trades.v1` event (the trade resource) as the ledger books it. */
export function tradeEventOf(envelope: EventEnvelope<unknown>): TradeEvent {
  const action = TRADE_ACTIONS[envelope.type];
  if (!action) throw DomainError.invalid('ce_type', `${envelope.type} is not a trade event`);
  const trade = fieldsOf(envelope);
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
      counterpartyLei: trade.nested('counterparty').text('lei'),
      quantity: trade.positive(trade.decimal('quantity'), 'quantity'),
      netAmount: trade.positive(trade.money('netAmount', currency), 'netAmount'),
      tradeDate: trade.date('tradeDate'),
    },
  };
}

/** A `settlement.events.v1` event (the instruction resource plus the change) as the ledger books it. */
export function settlementEventOf(envelope: EventEnvelope<unknown>): LedgerInput {
  const instruction = fieldsOf(envelope);
  const common = { eventId: envelope.id, eventType: envelope.type, instructionId: instruction.text('instructionId') };
  switch (envelope.type) {
    case EventTypes.settlementSettled:
    case EventTypes.settlementPartiallySettled: {
      const change = instruction.nested('change');
      const currency = instruction.currency('currency');
      return {
        kind: 'settlement',
        ...common,
        tradeIds: instruction.uuids('tradeIds'),
        isin: instruction.text('isin'),
        currency,
        final: envelope.type === EventTypes.settlementSettled,
        freeOfPayment: instruction.oneOf('type', ['DVP', 'FOP'] as const) === 'FOP',
        settledQuantity: change.optionalDecimal('settledQuantity'),
        settledAmount: change.optionalMoney('settledAmount', currency),
        effectiveDate: change.optionalText('effectiveDate') === undefined ? instruction.date('intendedSettlementDate') : change.date('effectiveDate'),
      };
    }
    case EventTypes.settlementPenaltyAssessed: {
      const penalty = instruction.nested('change').nested('penalty');
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

import type { EntityManager } from 'typeorm';
import { partitionName, type ConsumedEvent, type EventHandler } from '@postrade/messaging';
import type { BookLedgerEventsHandler } from '../application/book-events/book-ledger-events.command-handler';
import { ledgerInputOf, SETTLEMENT_EVENT_TYPES, TRADE_EVENT_TYPES } from './ledger-input.mapper';

/**
 * Thin consumers: parse the event into a ledger input and hand it to the booking use case, one
 * event or a whole run of a partition at once (multi-row writes, one chain-head lock), appending
 * to the journal chain of that partition.
 */
abstract class LedgerEventsHandler implements EventHandler {
  abstract readonly eventTypes: readonly string[];

  constructor(private readonly booking: BookLedgerEventsHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.handleBatch([event], em);
  }

  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    if (events.length === 0) return;
    await this.booking.execute(
      events.map(({ envelope, message }) => ({ input: ledgerInputOf(envelope), message, correlationId: envelope.correlationId ?? envelope.id })),
      em,
      partitionName(events[0].message),
    );
  }
}

/** `trade-capture.trades.v1`: captured, amended, cancelled, enriched. */
export class TradeEventsHandler extends LedgerEventsHandler {
  readonly eventTypes = TRADE_EVENT_TYPES;
}

/** `settlement.events.v1`: (partially) settled and penalty-assessed book; the others are recorded and book nothing. */
export class SettlementEventsHandler extends LedgerEventsHandler {
  readonly eventTypes = SETTLEMENT_EVENT_TYPES;
}

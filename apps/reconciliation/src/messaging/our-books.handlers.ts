import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { noChanges, type OurBooksChanges } from '../application/our-books';
import type { OurBooksRepository } from '../persistence/our-books.repository';
import { LEDGER_EVENT_TYPES, ledgerChanges, SETTLEMENT_EVENT_TYPES, settlementChanges, TRADE_EVENT_TYPES, tradeChanges } from './our-books.decoders';

type Decoder = (envelope: EventEnvelope<unknown>, into: OurBooksChanges) => OurBooksChanges;

/** Projects a run of one partition's events into our books with one statement per table. */
abstract class OurBooksHandler implements EventHandler {
  abstract readonly eventTypes: readonly string[];
  protected abstract readonly decode: Decoder;

  constructor(private readonly books: OurBooksRepository) {}

  handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    return this.handleBatch([event], em);
  }

  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    const changes = noChanges();
    for (const { envelope } of events) this.decode(envelope, changes);
    await this.books.apply(em, changes);
  }
}

/** `trade-capture.trades.v1`: the trade's latest terms, for front-to-back, and our SSI's accounts. */
export class TradeEventsHandler extends OurBooksHandler {
  readonly eventTypes = TRADE_EVENT_TYPES;
  protected readonly decode = tradeChanges;
}

/** `ledger.events.v1`: settled securities and cash of our books. */
export class LedgerEventsHandler extends OurBooksHandler {
  readonly eventTypes = LEDGER_EVENT_TYPES;
  protected readonly decode = ledgerChanges;
}

/** `settlement.events.v1`: settled movements per instruction and day, and penalties assessed. */
export class SettlementEventsHandler extends OurBooksHandler {
  readonly eventTypes = SETTLEMENT_EVENT_TYPES;
  protected readonly decode = settlementChanges;
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeTrade, EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { ApplyTradeVersionsHandler, type ApplyTradeVersion } from '../application/apply-trade-events/apply-trade-versions.command-handler';
import { tradeForMatchingOf } from './trade-event.mapper';

/**
 * Trade lifecycle events from `trade-capture.trades.v1` → the trade versions use case. An
 * `enriched` event is the same version with SSIs filled in: applied like any version, it changes nothing.
 */
@Injectable()
export class TradeEventsHandler implements EventHandler {
  readonly eventTypes = [EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled, EventTypes.tradeEnriched];

  constructor(private readonly apply: ApplyTradeVersionsHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.apply.execute(em, [version(event)]);
  }

  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.apply.execute(em, events.map(version));
  }
}

function version(event: ConsumedEvent): ApplyTradeVersion {
  return { trade: tradeForMatchingOf(decodeTrade(event.envelope.data)), correlationId: event.envelope.correlationId ?? event.envelope.id, causationId: event.envelope.id };
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Decimal } from '@postrade/kernel';
import { decodeTrade, EventTypes, type TradeView } from '@postrade/contracts';
import { partitionName, type ConsumedEvent, type EventHandler } from '@postrade/messaging';
import { ScreenTradeHandler, type ScreenTradeCommand } from '../application/screen-trade/screen-trade.command-handler';
import type { ScreenedTrade } from '../domain/screened-trade';

const KIND_BY_TYPE: Record<string, ScreenTradeCommand['kind']> = {
  [EventTypes.tradeCaptured]: 'captured',
  [EventTypes.tradeAmended]: 'amended',
  [EventTypes.tradeCancelled]: 'cancelled',
};

/** A decoded trade event as screening takes it. */
export function screenedTradeOf(t: TradeView): { trade: ScreenedTrade; legalEntityName: string; assetClass: string } {
  return {
    trade: {
      tradeId: t.tradeId,
      version: t.version,
      status: t.status,
      tradeDate: t.tradeDate,
      executedAt: t.executionTime ?? t.createdAt,
      side: t.side,
      isin: t.isin,
      quantity: new Decimal(t.quantity),
      price: new Decimal(t.price),
      currency: t.currency,
      grossAmount: new Decimal(t.grossAmount),
      netAmount: new Decimal(t.netAmount),
      book: t.book,
      counterparty: { lei: t.counterparty.lei, name: t.counterparty.name, aliases: [] },
      legalEntityLei: t.legalEntity.lei,
    },
    legalEntityName: t.legalEntity.name,
    assetClass: t.instrument.assetClass,
  };
}

/** Captured, amended and cancelled trades from `trade-capture.trades.v1` → screening. `enriched` changes nothing compliance checks. */
@Injectable()
export class TradeEventsHandler implements EventHandler {
  readonly eventTypes = [EventTypes.tradeCaptured, EventTypes.tradeAmended, EventTypes.tradeCancelled];

  constructor(private readonly screening: ScreenTradeHandler) {}

  handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    return this.handleBatch([event], em);
  }

  /** The whole batch in one pass: its locks are taken once, in one order (see {@link ScreenTradeHandler}). */
  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.screening.executeBatch(events.map(commandOf), em, partitionName(events[0].message));
  }
}

function commandOf(event: ConsumedEvent): ScreenTradeCommand {
  const { trade, legalEntityName, assetClass } = screenedTradeOf(decodeTrade(event.envelope.data));
  return {
    kind: KIND_BY_TYPE[event.envelope.type],
    trade,
    legalEntityName,
    assetClass,
    causation: { correlationId: event.envelope.correlationId ?? event.envelope.id, causationId: event.envelope.id },
  };
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes, PayloadFields, TRADE_SIDES, TRADE_STATUSES } from '@postrade/contracts';
import { partitionName, type ConsumedEvent, type EventHandler } from '@postrade/messaging';
import { ScreenTradeHandler, type ScreenTradeCommand } from '../application/screen-trade/screen-trade.command-handler';
import type { ScreenedTrade } from '../domain/screened-trade';

const KIND_BY_TYPE: Record<string, ScreenTradeCommand['kind']> = {
  [EventTypes.tradeCaptured]: 'captured',
  [EventTypes.tradeAmended]: 'amended',
  [EventTypes.tradeCancelled]: 'cancelled',
};

/** The trade resource's fields that screening uses. */
export function screenedTradeOf(data: unknown): { trade: ScreenedTrade; legalEntityName: string; assetClass: string | null } {
  const t = new PayloadFields(data);
  const instrument = t.optionalObject('instrument');
  const counterparty = t.object('counterparty');
  const legalEntity = t.object('legalEntity');
  return {
    trade: {
      tradeId: t.text('tradeId'),
      version: t.integer('version'),
      status: t.oneOf('status', TRADE_STATUSES),
      tradeDate: t.text('tradeDate'),
      executedAt: t.optionalText('executionTime') ?? t.text('createdAt'),
      side: t.oneOf('side', TRADE_SIDES),
      isin: t.text('isin'),
      quantity: t.decimal('quantity'),
      price: t.decimal('price'),
      currency: t.text('currency'),
      grossAmount: t.decimal('grossAmount'),
      netAmount: t.decimal('netAmount'),
      book: t.text('book'),
      counterparty: { lei: counterparty.text('lei'), name: counterparty.text('name'), aliases: [] },
      legalEntityLei: legalEntity.text('lei'),
    },
    legalEntityName: legalEntity.text('name'),
    assetClass: instrument?.text('assetClass') ?? null,
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
  const { trade, legalEntityName, assetClass } = screenedTradeOf(event.envelope.data);
  return {
    kind: KIND_BY_TYPE[event.envelope.type],
    trade,
    legalEntityName,
    assetClass,
    causation: { correlationId: event.envelope.correlationId ?? event.envelope.id, causationId: event.envelope.id },
  };
}

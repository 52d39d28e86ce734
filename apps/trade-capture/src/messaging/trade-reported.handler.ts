import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { ReportTradeHandler } from '../application/report-trade/report-trade.command-handler';

/**
 * `postrade.trade.reported.v1` from `trades.inbound.v1` → the report use case, in the inbox
 * transaction. No `payloadClass`: the use case validates, so that an invalid message is
 * acknowledged REJECTED to its sender as well as dead-lettered.
 */
@Injectable()
export class TradeReportedHandler implements EventHandler {
  readonly eventTypes = [EventTypes.tradeReported];

  constructor(private readonly reports: ReportTradeHandler) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.reports.execute(
      { id: event.envelope.id, raw: event.message, correlationId: event.envelope.correlationId ?? event.envelope.id, data: event.envelope.data },
      em,
    );
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { ReportTradeHandler, type ReportedMessage } from '../application/report-trade/report-trade.command-handler';

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
    await this.reports.execute(reportedMessage(event), em);
  }

  /** A run of reports: the NEWs together, the rest one by one (`ReportTradeHandler.executeAll`). */
  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.reports.executeAll(events.map(reportedMessage), em);
  }
}

function reportedMessage(event: ConsumedEvent): ReportedMessage {
  return { id: event.envelope.id, raw: event.message, correlationId: event.envelope.correlationId ?? event.envelope.id, data: event.envelope.data };
}

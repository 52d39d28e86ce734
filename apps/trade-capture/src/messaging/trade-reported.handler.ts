import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { EventTypes, TradeReported } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { CaptureTradeHandler } from '../application/capture-trade/capture-trade.command-handler';
import { tradeTermsOf } from '../domain/trade';

/** `postrade.trade.reported.v1` from `trades.inbound.v1` → the capture use case, in the inbox transaction. */
@Injectable()
export class TradeReportedHandler implements EventHandler<TradeReported> {
  readonly eventTypes = [EventTypes.tradeReported];
  readonly payloadClass = TradeReported;

  constructor(private readonly capture: CaptureTradeHandler) {}

  async handle(event: ConsumedEvent<TradeReported>, em: EntityManager): Promise<void> {
    const reported = event.envelope.data;
    await this.capture.execute(
      {
        action: reported.action,
        version: reported.version,
        sourceSystem: reported.sourceSystem,
        sourceTradeId: reported.sourceTradeId,
        terms: reported.action === 'CANCEL' ? undefined : tradeTermsOf(reported),
        reason: reported.reason,
        origin: 'kafka',
        reported: { ...reported },
        correlationId: event.envelope.correlationId ?? event.envelope.id,
        causationId: event.envelope.id,
      },
      em,
    );
  }
}

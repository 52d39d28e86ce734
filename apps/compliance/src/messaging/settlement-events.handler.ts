import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Decimal, DomainError } from '@postrade/kernel';
import { decodeSettlementEvent, EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { RecordSettlement } from '../application/record-settlement/record-settlement';
import { ScreenedTradeRepository } from '../persistence/screened-trade.repository';

/** (Partially) settled instructions from `settlement.events.v1` lower their trades' exposure; other settlement events change nothing here. */
@Injectable()
export class SettlementEventsHandler implements EventHandler {
  readonly eventTypes = [EventTypes.settlementPartiallySettled, EventTypes.settlementSettled];

  constructor(
    private readonly settlement: RecordSettlement,
    private readonly trades: ScreenedTradeRepository,
  ) {}

  /**
   * Locks every trade the batch settles first, in id order, as a batch of trade events does, so
   * that the two consumers never wait for each other in a cycle; then applies each event in order.
   */
  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.trades.lockMany(
      em,
      events.flatMap((e) => decodeSettlementEvent(e.envelope.data).tradeIds),
    );
    for (const event of events) await this.handle(event, em);
  }

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    const instruction = decodeSettlementEvent(event.envelope.data);
    const settledInFull = event.envelope.type === EventTypes.settlementSettled;
    // A settled event without an amount settled the rest: the whole instruction, as far as exposure goes.
    const settledAmount = instruction.change.settledAmount ?? (settledInFull ? instruction.settlementAmount : null);
    if (settledAmount === null) throw DomainError.invalid('change.settledAmount', 'is required for a partial settlement');
    await this.settlement.execute(em, {
      eventId: event.envelope.id,
      eventType: event.envelope.type,
      message: event.message,
      tradeIds: instruction.tradeIds,
      settledAmount: new Decimal(settledAmount),
      settledInFull,
    });
  }
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { EventTypes, PayloadFields } from '@postrade/contracts';
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
      events.flatMap((e) => new PayloadFields(e.envelope.data).textList('tradeIds')),
    );
    for (const event of events) await this.handle(event, em);
  }

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    const instruction = new PayloadFields(event.envelope.data);
    const tradeIds = instruction.textList('tradeIds');
    if (tradeIds.length === 0) throw DomainError.invalid('tradeIds', 'must name the trades the instruction settles');
    const settledInFull = event.envelope.type === EventTypes.settlementSettled;
    const change = instruction.object('change');
    await this.settlement.execute(em, {
      eventId: event.envelope.id,
      tradeIds,
      settledAmount: settledInFull && change.optionalText('settledAmount') === null ? instruction.decimal('settlementAmount') : change.decimal('settledAmount'),
      settledInFull,
    });
  }
}

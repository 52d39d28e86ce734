import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DomainError } from '@postrade/kernel';
import { EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { RecordSettlement } from '../application/record-settlement/record-settlement';
import { EventFields } from './event-fields';

/** (Partially) settled instructions from `settlement.events.v1` lower their trades' exposure; other settlement events change nothing here. */
@Injectable()
export class SettlementEventsHandler implements EventHandler {
  readonly eventTypes = [EventTypes.settlementPartiallySettled, EventTypes.settlementSettled];

  constructor(private readonly settlement: RecordSettlement) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    const instruction = new EventFields(event.envelope.data);
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

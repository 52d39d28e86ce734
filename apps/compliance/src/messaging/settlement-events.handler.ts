import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { Decimal, DomainError } from '@postrade/kernel';
import { decodeSettlementEvent, EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { RecordSettlement, type SettlementRecorded } from '../application/record-settlement/record-settlement';

/** (Partially) settled instructions from `settlement.events.v1` lower their trades' exposure; other settlement events change nothing here. */
@Injectable()
export class SettlementEventsHandler implements EventHandler {
  readonly eventTypes = [EventTypes.settlementPartiallySettled, EventTypes.settlementSettled];

  constructor(private readonly settlement: RecordSettlement) {}

  /** A run of settlement events in two statements (`RecordSettlement.executeAll`), applied in their order. */
  async handleBatch(events: ConsumedEvent[], em: EntityManager): Promise<void> {
    await this.settlement.executeAll(em, events.map(settlementOf));
  }

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    await this.settlement.execute(em, settlementOf(event));
  }
}

/** What a (partially) settled instruction's event settles, for exposure. */
function settlementOf(event: ConsumedEvent): SettlementRecorded {
  const instruction = decodeSettlementEvent(event.envelope.data);
  const settledInFull = event.envelope.type === EventTypes.settlementSettled;
  // A settled event without an amount settled the rest: the whole instruction, as far as exposure goes.
  const settledAmount = instruction.change.settledAmount ?? (settledInFull ? instruction.settlementAmount : null);
  if (settledAmount === null) throw DomainError.invalid('change.settledAmount', 'is required for a partial settlement');
  return {
    eventId: event.envelope.id,
    eventType: event.envelope.type,
    message: event.message,
    tradeIds: instruction.tradeIds,
    settledAmount: new Decimal(settledAmount),
    settledInFull,
  };
}

import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { decodeCounterparty, decodeInstrument, decodeLegalEntity, EventTypes } from '@postrade/contracts';
import { partitionName, type ConsumedEvent, type EventHandler } from '@postrade/messaging';
import { RecordReferenceData } from '../application/reference-data/record-reference-data';

/**
 * Counterparties, our legal entities and instruments from `trade-capture.reference-data.v1`. SSIs
 * are not compliance's business. A re-screening is audited on the chain of the event's partition.
 */
@Injectable()
export class ReferenceDataEventsHandler implements EventHandler {
  readonly eventTypes = [EventTypes.counterpartyUpserted, EventTypes.legalEntityUpserted, EventTypes.instrumentUpserted];

  constructor(private readonly referenceData: RecordReferenceData) {}

  async handle(event: ConsumedEvent, em: EntityManager): Promise<void> {
    const data = event.envelope.data;
    switch (event.envelope.type) {
      case EventTypes.counterpartyUpserted:
        return this.referenceData.counterparty(
          em,
          decodeCounterparty(data),
          { correlationId: event.envelope.correlationId ?? event.envelope.id, causationId: event.envelope.id },
          partitionName(event.message),
        );
      case EventTypes.legalEntityUpserted:
        return this.referenceData.legalEntity(em, decodeLegalEntity(data));
      default:
        return this.referenceData.instrument(em, decodeInstrument(data));
    }
  }
}

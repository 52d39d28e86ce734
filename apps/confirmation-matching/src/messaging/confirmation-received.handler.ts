import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { ConfirmationReceived, EventTypes } from '@postrade/contracts';
import type { ConsumedEvent, EventHandler } from '@postrade/messaging';
import { ReceiveConfirmationsHandler, type ReceiveConfirmation } from '../application/receive-confirmations/receive-confirmations.command-handler';
import { confirmationTermsOf } from '../domain/confirmation';

/** `postrade.confirmation.received.v1` from `confirmations.inbound.v1` → the same use case as `POST /api/v1/confirmations`. */
@Injectable()
export class ConfirmationReceivedHandler implements EventHandler<ConfirmationReceived> {
  readonly eventTypes = [EventTypes.confirmationReceived];
  readonly payloadClass = ConfirmationReceived;

  constructor(private readonly receive: ReceiveConfirmationsHandler) {}

  async handle(event: ConsumedEvent<ConfirmationReceived>, em: EntityManager): Promise<void> {
    await this.receive.apply(em, [received(event)]);
  }

  /** A run of confirmations in one go: one lock, read and write statement each, whatever the run's length. */
  async handleBatch(events: ConsumedEvent<ConfirmationReceived>[], em: EntityManager): Promise<void> {
    await this.receive.apply(em, events.map(received));
  }
}

function received(event: ConsumedEvent<ConfirmationReceived>): ReceiveConfirmation {
  return {
    terms: confirmationTermsOf(event.envelope.data),
    correlationId: event.envelope.correlationId ?? event.envelope.id,
    causationId: event.envelope.id,
  };
}

import type { EntityManager } from 'typeorm';
import { EventTypes } from '@postrade/contracts';
import { partitionName, type ConsumedEvent, type EventHandler } from '@postrade/messaging';
import type { ReconcileStatement } from '../application/reconcile/reconcile-statement';
import { parseStatementJson } from '../domain/statements';

/**
 * `statements.inbound.v1`: the JSON statement form, applied exactly as `POST /statements` applies
 * it (a malformed one is dead-lettered naming the line and field; the same one again changes
 * nothing). Statements are applied one at a time: each is a whole reconciliation.
 */
export class StatementReceivedHandler implements EventHandler {
  readonly eventTypes = [EventTypes.statementReceived];

  constructor(private readonly reconcile: ReconcileStatement) {}

  async handle({ envelope, message }: ConsumedEvent, em: EntityManager): Promise<void> {
    const statement = parseStatementJson(envelope.data);
    await this.reconcile.applyStatement(em, statement, {
      format: 'kafka',
      content: JSON.stringify(envelope.data),
      receivedBy: `${message.topic} (${envelope.source})`,
      correlationId: envelope.correlationId ?? envelope.id,
      causationId: envelope.id,
      chain: partitionName(message),
    });
  }
}

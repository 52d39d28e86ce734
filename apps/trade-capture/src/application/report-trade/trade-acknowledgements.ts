import type { EntityManager } from 'typeorm';
import { EventTypes, Topics, type AckOutcome, type TradeAcknowledgedPayload, type TradeAction } from '@postrade/contracts';
import { DomainError, type FieldError } from '@postrade/kernel';
import type { Outbox } from '@postrade/messaging';

/** Which message an acknowledgement answers, as far as it could be read. */
export interface AcknowledgedMessage {
  messageId: string;
  sourceSystem: string;
  sourceTradeId: string;
  version: number | null;
  action: TradeAction | null;
  correlationId?: string;
}

/** An outcome to acknowledge: the message it answers, the trade it concerns, a rejection's field errors. */
export interface Acknowledgement {
  message: AcknowledgedMessage;
  outcome: AckOutcome;
  tradeId: string | null;
  errors?: FieldError[];
}

/** The field errors a rejection reports: a domain error's own, or its message against `version` (conflicts are about versions). */
export function rejectionErrors(error: DomainError): FieldError[] {
  return error.errors.length > 0 ? error.errors : [{ field: 'version', message: error.message }];
}

/** A rejection as one line, for `dlq_error` and logs. */
export function rejectionReason(error: DomainError): string {
  return rejectionErrors(error)
    .map((e) => `${e.field}: ${e.message}`)
    .join('; ');
}

/**
 * Publishes `postrade.trade.acknowledged.v1` on `trade-capture.acks.v1` through the outbox, in the
 * transaction that decided the outcome: the sender learns ACCEPTED, REPLAYED, PARKED or REJECTED
 * exactly when that outcome commits.
 */
export class TradeAcknowledgements {
  constructor(private readonly outbox: Outbox) {}

  async acknowledge(em: EntityManager, message: AcknowledgedMessage, outcome: AckOutcome, tradeId: string | null, errors: FieldError[] = []): Promise<void> {
    await this.acknowledgeAll(em, [{ message, outcome, tradeId, errors }]);
  }

  /** Several acknowledgements in one outbox write, in the given order. */
  async acknowledgeAll(em: EntityManager, acks: readonly Acknowledgement[]): Promise<void> {
    if (acks.length === 0) return;
    await this.outbox.add(
      em,
      acks.map(({ message, outcome, tradeId, errors = [] }) => ({
        topic: Topics.tradeCaptureAcks,
        key: `${message.sourceSystem}:${message.sourceTradeId}`,
        type: EventTypes.tradeAcknowledged,
        data: {
          sourceSystem: message.sourceSystem,
          sourceTradeId: message.sourceTradeId,
          version: message.version,
          action: message.action,
          outcome,
          tradeId,
          errors,
          messageId: message.messageId,
        } satisfies TradeAcknowledgedPayload,
        correlationId: message.correlationId,
        causationId: message.messageId,
      })),
    );
  }
}

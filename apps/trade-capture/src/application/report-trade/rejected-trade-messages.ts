import type { EntityManager } from 'typeorm';
import { Topics } from '@postrade/contracts';
import { deadLetterInTransaction, type Outbox, type RawMessage } from '@postrade/messaging';

/** The consumer group whose dead letters these are (trade-capture.module.ts). */
export const TRADE_CAPTURE_CONSUMER = 'trade-capture';

/**
 * Dead-letters a message on `trades.inbound.v1` that trade capture rejected, in the transaction
 * that acknowledges the rejection: the `dead_letters` row (listable and replayable by operations)
 * and the copy on `trade-capture.dlq.v1` with the reason in `dlq_error` commit with the REJECTED
 * ack, so a retry never adds a second copy.
 */
export class RejectedTradeMessages {
  constructor(private readonly outbox: Outbox) {}

  async deadLetter(em: EntityManager, message: RawMessage, reason: string): Promise<void> {
    await deadLetterInTransaction(em, this.outbox, { consumer: TRADE_CAPTURE_CONSUMER, dlqTopic: Topics.tradeCaptureDlq, message, error: reason, attempts: 1 });
  }
}

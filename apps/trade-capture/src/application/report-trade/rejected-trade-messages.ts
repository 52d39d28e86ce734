import type { EntityManager } from 'typeorm';
import { DlqHeaders, Topics } from '@postrade/contracts';
import { recordDeadLetter, type Outbox, type RawMessage } from '@postrade/messaging';

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
    if (!(await recordDeadLetter(em, TRADE_CAPTURE_CONSUMER, message, reason, 1))) return;
    await this.outbox.addRaw(em, [
      {
        topic: Topics.tradeCaptureDlq,
        key: message.key,
        value: message.value,
        headers: {
          ...message.headers,
          [DlqHeaders.originalTopic]: message.topic,
          [DlqHeaders.originalPartition]: String(message.partition),
          [DlqHeaders.originalOffset]: message.offset,
          [DlqHeaders.error]: reason.slice(0, 2000),
          [DlqHeaders.attempts]: '1',
          [DlqHeaders.failedAt]: new Date().toISOString(),
          [DlqHeaders.consumerGroup]: TRADE_CAPTURE_CONSUMER,
        },
      },
    ]);
  }
}

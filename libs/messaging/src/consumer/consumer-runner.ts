import type { Consumer, EachBatchPayload } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { DlqHeaders } from '@postrade/contracts';
import { createLogger } from '@postrade/platform';
import { createKafka, type KafkaConnection } from '../kafka/kafka-client';
import { headersOf } from '../kafka/message-headers';
import type { EventPublisher } from '../kafka/event-publisher';
import { DeadLetterStore } from '../dead-letters/dead-letter-store';
import { messagingMetrics } from '../messaging-metrics';
import type { EventHandler, RawMessage } from './consumed-event';
import { MessageProcessor, PermanentFailure } from './message-processor';

export interface ConsumerRunnerOptions {
  /** Consumer group id, also the inbox's consumer name, e.g. `settlement`. */
  consumer: string;
  /** Where what cannot be applied goes: the service's `<service>.dlq.v1` (see dlqTopicFor). */
  dlqTopic: string;
  topics: string[];
  handlers: EventHandler[];
  /** Attempts for a transient failure before the message is dead-lettered. */
  maxAttempts?: number;
  /** Backoff before retry n is `retryBackoffMs * 2^(n-1)`. */
  retryBackoffMs?: number;
  fromBeginning?: boolean;
  /** Kafka group session timeout; a killed member's partitions move after this long. */
  sessionTimeoutMs?: number;
  /** Test seam: called after a message's transaction commits, before its offset is committed. */
  afterApplied?: (message: RawMessage) => Promise<void> | void;
}

const log = createLogger('consumer');

/**
 * The one consumer runner: batch consumption with manual offset commits after the database
 * transaction commits. A message that cannot be parsed or validated, or that still fails after
 * bounded retries, goes to `<service>.dlq.v1` (and the service's dead_letters table) and the
 * partition moves on. Nothing is skipped without a trace.
 */
export class ConsumerRunner {
  private kafkaConsumer?: Consumer;
  readonly processor: MessageProcessor;
  private readonly deadLetters: DeadLetterStore;
  private stopping = false;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly dataSource: DataSource,
    private readonly dlqPublisher: EventPublisher,
    private readonly options: ConsumerRunnerOptions,
  ) {
    this.processor = new MessageProcessor(options.consumer, dataSource, options.handlers);
    this.deadLetters = new DeadLetterStore(dataSource);
  }

  async start(): Promise<void> {
    const consumer = createKafka(this.connection).consumer({
      groupId: this.options.consumer,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? Number(process.env.KAFKA_SESSION_TIMEOUT_MS ?? 30_000),
      heartbeatInterval: 3_000,
      maxWaitTimeInMs: 250,
    });
    this.kafkaConsumer = consumer;
    await consumer.connect();
    await this.dlqPublisher.connect();
    for (const topic of this.options.topics) await consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: 1,
      eachBatch: (batch) => this.consumeBatch(batch),
    });
    log.info({ consumer: this.options.consumer, topics: this.options.topics }, 'consumer started');
  }

  private async consumeBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    let lastDone: string | undefined;
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.stopping) break;
      const raw: RawMessage = {
        topic,
        partition,
        offset: message.offset,
        key: message.key?.toString() ?? null,
        headers: headersOf(message.headers),
        value: message.value?.toString() ?? '',
      };
      await this.handle(raw);
      resolveOffset(message.offset);
      lastDone = message.offset;
      await heartbeat();
    }
    if (lastDone !== undefined) {
      await this.kafkaConsumer!.commitOffsets([{ topic, partition, offset: (BigInt(lastDone) + 1n).toString() }]);
    }
    const lag = Number(batch.highWatermark) - Number(lastDone ?? batch.firstOffset() ?? batch.highWatermark) - 1;
    messagingMetrics.lag.set({ consumer: this.options.consumer, topic, partition: String(partition) }, Math.max(0, lag));
  }

  private async handle(raw: RawMessage): Promise<void> {
    const maxAttempts = this.options.maxAttempts ?? 3;
    const backoff = this.options.retryBackoffMs ?? 200;
    for (let attempt = 1; ; attempt++) {
      try {
        const outcome = await this.processor.process(raw);
        messagingMetrics.consumed.inc({ consumer: this.options.consumer, topic: raw.topic, outcome });
        await this.options.afterApplied?.(raw);
        return;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const permanent = err instanceof PermanentFailure;
        if (permanent || attempt >= maxAttempts) {
          await this.deadLetter(raw, error, attempt);
          return;
        }
        log.warn({ consumer: this.options.consumer, topic: raw.topic, partition: raw.partition, offset: raw.offset, attempt, err: error }, 'retrying message');
        await new Promise((r) => setTimeout(r, backoff * 2 ** (attempt - 1)));
      }
    }
  }

  private async deadLetter(raw: RawMessage, error: string, attempts: number): Promise<void> {
    await this.dlqPublisher.send([
      {
        topic: this.options.dlqTopic,
        key: raw.key,
        value: raw.value,
        headers: {
          ...raw.headers,
          [DlqHeaders.originalTopic]: raw.topic,
          [DlqHeaders.originalPartition]: String(raw.partition),
          [DlqHeaders.originalOffset]: raw.offset,
          [DlqHeaders.error]: error.slice(0, 2000),
          [DlqHeaders.attempts]: String(attempts),
          [DlqHeaders.failedAt]: new Date().toISOString(),
          [DlqHeaders.consumerGroup]: this.options.consumer,
        },
      },
    ]);
    await this.deadLetters.record(this.options.consumer, raw, error, attempts);
    messagingMetrics.deadLettered.inc({ consumer: this.options.consumer, topic: raw.topic });
    messagingMetrics.consumed.inc({ consumer: this.options.consumer, topic: raw.topic, outcome: 'dead-lettered' });
    log.warn({ consumer: this.options.consumer, topic: raw.topic, partition: raw.partition, offset: raw.offset, attempts, err: error }, 'message dead-lettered');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await this.kafkaConsumer?.disconnect().catch(() => undefined);
    this.kafkaConsumer = undefined;
  }
}

import type { Consumer, EachBatchPayload, KafkaMessage } from 'kafkajs';
import type { DataSource } from 'typeorm';
import { CloudEventHeaders } from '@postrade/contracts';
import { createLogger, readEnv, type EnvSource } from '@postrade/platform';
import { createKafka, type KafkaConnection } from '../kafka/kafka-client';
import { headersOf } from '../kafka/message-headers';
import type { Outbox } from '../outbox/outbox';
import { messagingMetrics } from '../messaging-metrics';
import { withTimeout } from '../timeouts';
import type { EventHandler, RawMessage } from './consumed-event';
import { classifyFailure, MessageProcessor, type ProcessOutcome } from './message-processor';

export interface ConsumerRunnerOptions {
  /** Consumer group id, also the inbox's consumer name, e.g. `settlement`. */
  consumer: string;
  /** Where what cannot be applied goes: the service's `<service>.dlq.v1` (see dlqTopicFor). */
  dlqTopic: string;
  topics: string[];
  handlers: EventHandler[];
  /** The service's outbox: dead-letter copies are published through it, atomically with the batch. */
  outbox: Outbox;
  /** Most messages applied in one transaction (`CONSUMER_MAX_BATCH`, default 500). */
  maxBatchSize?: number;
  /** Partitions processed at once, each in order (`CONSUMER_CONCURRENT_PARTITIONS`, default 4). */
  concurrentPartitions?: number;
  /** Attempts for an unexpected error before the event at fault is dead-lettered (default 5). */
  maxUnexpectedAttempts?: number;
  /** First backoff after a failure; doubles up to `maxBackoffMs`. */
  retryBackoffMs?: number;
  maxBackoffMs?: number;
  fromBeginning?: boolean;
  /** Kafka group session timeout; a killed member's partitions move after this long. */
  sessionTimeoutMs?: number;
  /** Test seam: called after a batch's transaction commits, before its offsets are committed. */
  afterApplied?: (messages: RawMessage[]) => Promise<void> | void;
  /**
   * The current high watermarks of a topic's partitions (the messaging runtime's shared admin
   * client), so that `postrade_consumer_lag` keeps moving while a partition waits out a fault.
   */
  highWatermarks?: (topic: string) => Promise<Map<number, string>>;
  /** Event types the contract does not put on these topics that this consumer skips on purpose (see MessageProcessor). */
  ignoredEventTypes?: readonly string[];
}

/** The consumer's settings from the environment, each checked (a zero batch is refused at start). */
export function consumerConfigFromEnv(source: EnvSource = process.env) {
  return readEnv(source, (env) => ({
    maxBatchSize: env.integer('CONSUMER_MAX_BATCH', { default: 500, min: 1, max: 100_000 }),
    concurrentPartitions: env.integer('CONSUMER_CONCURRENT_PARTITIONS', { default: 4, min: 1, max: 1_000 }),
    sessionTimeoutMs: env.integer('KAFKA_SESSION_TIMEOUT_MS', { default: 30_000, min: 6_000 }),
    // How long the broker holds a fetch when there is nothing to read. A message that arrives
    // ends the wait at once, so this is not a latency: it is how often an idle consumer asks.
    maxWaitTimeInMs: env.integer('KAFKA_CONSUMER_MAX_WAIT_MS', { default: 500, min: 10 }),
    // How much the broker gathers before it answers a fetch (up to the wait above): above one byte,
    // batches grow under load, at the cost of up to that wait per hop when traffic is light.
    minBytes: env.integer('KAFKA_CONSUMER_MIN_BYTES', { default: 1, min: 1, max: 52_428_800 }),
  }));
}

/** How often the lag of a waiting partition is refreshed from the broker. */
const LAG_REFRESH_MS = 5_000;

/** Why a consumer is not keeping up, for `/health/ready`. */
export interface ConsumerHealth {
  ok: boolean;
  /** Partitions waiting out a transient fault, with the error and since when. */
  waiting: { topic: string; partition: number; since: string; error: string }[];
  /** Set while the Kafka client itself has crashed and is restarting. */
  crashed?: string;
}

const log = createLogger('consumer');

/**
 * The one consumer runner. Each partition's messages are applied in batches, one database
 * transaction per batch (see MessageProcessor), several partitions at once, in order within a
 * partition; offsets are committed after the transaction commits, so an offset is never ahead of
 * its effect and a crash can only re-deliver (which the inbox absorbs).
 *
 * A transient fault (Postgres away, serialization failure, deadlock, timeout) pauses that
 * partition: the same batch is tried again with backoff, without limit, and never dead-lettered;
 * the consumer reports not ready meanwhile. Permanent faults are dead-lettered at once; unexpected
 * errors after `maxUnexpectedAttempts`.
 */
export class ConsumerRunner {
  private kafkaConsumer?: Consumer;
  readonly processor: MessageProcessor;
  private stopping = false;
  private readonly waiting = new Map<string, { topic: string; partition: number; since: string; error: string }>();
  private crashed?: string;
  private inFlight = 0;
  private idle?: () => void;
  private readonly config: ReturnType<typeof consumerConfigFromEnv>;

  constructor(
    private readonly connection: KafkaConnection,
    dataSource: DataSource,
    private readonly options: ConsumerRunnerOptions,
  ) {
    this.config = consumerConfigFromEnv();
    this.processor = new MessageProcessor(options.consumer, dataSource, options.handlers, options.outbox, { ignoredEventTypes: options.ignoredEventTypes });
  }

  get consumer(): string {
    return this.options.consumer;
  }

  async start(): Promise<void> {
    const consumer = createKafka(this.connection).consumer({
      groupId: this.options.consumer,
      allowAutoTopicCreation: false,
      sessionTimeout: this.options.sessionTimeoutMs ?? this.config.sessionTimeoutMs,
      maxWaitTimeInMs: this.config.maxWaitTimeInMs,
      minBytes: this.config.minBytes,
      heartbeatInterval: 3_000,
      retry: { initialRetryTime: 300, maxRetryTime: 10_000, retries: 10 },
    });
    this.kafkaConsumer = consumer;
    consumer.on(consumer.events.CRASH, (e) => {
      this.crashed = e.payload.error?.message ?? 'consumer crashed';
      log.warn({ consumer: this.options.consumer, err: this.crashed }, 'Kafka consumer crashed; restarting');
      // kafkajs restarts itself only after errors it deems retriable; a broker that stays away can
      // end in one it does not (e.g. the seed broker refusing connections), so we restart it then.
      if (!e.payload.restart && !this.stopping && this.kafkaConsumer === consumer) void this.restartAfterCrash();
    });
    consumer.on(consumer.events.GROUP_JOIN, () => (this.crashed = undefined));
    await consumer.connect();
    for (const topic of this.options.topics) await consumer.subscribe({ topic, fromBeginning: this.options.fromBeginning ?? true });
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: this.options.concurrentPartitions ?? this.config.concurrentPartitions,
      eachBatch: (payload) => this.consumeBatch(payload),
    });
    log.info({ consumer: this.options.consumer, topics: this.options.topics }, 'consumer started');
  }

  private async restartAfterCrash(): Promise<void> {
    this.kafkaConsumer = undefined;
    for (let attempt = 1; !this.stopping; attempt++) {
      await new Promise((r) => setTimeout(r, Math.min(this.options.maxBackoffMs ?? 5_000, 500 * attempt)));
      if (this.stopping) return;
      try {
        await this.start();
        return;
      } catch (err) {
        this.crashed = err instanceof Error ? err.message : String(err);
        const failed = this.kafkaConsumer as Consumer | undefined;
        this.kafkaConsumer = undefined;
        await failed?.disconnect().catch(() => undefined);
      }
    }
  }

  health(): ConsumerHealth {
    const waiting = [...this.waiting.values()];
    return { ok: waiting.length === 0 && !this.crashed, waiting, ...(this.crashed ? { crashed: this.crashed } : {}) };
  }

  private async consumeBatch(payload: EachBatchPayload): Promise<void> {
    this.inFlight++;
    try {
      await this.consumePartitionBatch(payload);
    } finally {
      if (--this.inFlight === 0) this.idle?.();
    }
  }

  private async consumePartitionBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const { topic, partition } = batch;
    const maxBatch = this.options.maxBatchSize ?? this.config.maxBatchSize;
    const live = () => isRunning() && !isStale() && !this.stopping;
    for (let start = 0; start < batch.messages.length && live(); start += maxBatch) {
      const chunk = batch.messages.slice(start, start + maxBatch).map((m) => toRaw(topic, partition, m));
      const outcomes = await this.applyUntilDone(chunk, heartbeat, live, batch.highWatermark);
      if (!outcomes) return; // stopping or partition revoked: not committed, so it will be re-delivered
      await this.options.afterApplied?.(chunk);
      const last = chunk[chunk.length - 1].offset;
      resolveOffset(last);
      await this.kafkaConsumer!.commitOffsets([{ topic, partition, offset: (BigInt(last) + 1n).toString() }]);
      await heartbeat().catch(() => undefined);
      this.count(topic, outcomes);
      this.setLag(topic, partition, batch.highWatermark, BigInt(last));
    }
  }

  /** Applies one chunk, waiting out transient faults; undefined if it had to give up (stopping). */
  private async applyUntilDone(chunk: RawMessage[], heartbeat: () => Promise<void>, live: () => boolean, highWatermark: string): Promise<ProcessOutcome[] | undefined> {
    const { topic, partition, offset } = chunk[0];
    const key = `${topic}/${partition}`;
    const maxUnexpected = this.options.maxUnexpectedAttempts ?? 5;
    const correlationId = chunk[0].headers[CloudEventHeaders.correlationId] ?? chunk[0].headers[CloudEventHeaders.id];
    let unexpectedAttempts = 0;
    let lagRefreshedAt = 0;
    for (let attempt = 1; live(); attempt++) {
      try {
        const { outcomes } = await this.processor.processBatch(chunk, {
          dlqTopic: this.options.dlqTopic,
          attempt: unexpectedAttempts + 1,
          deadLetterUnexpected: unexpectedAttempts + 1 >= maxUnexpected,
        });
        if (this.waiting.delete(key)) this.resumed(topic, partition);
        return outcomes;
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        const kind = classifyFailure(err);
        if (kind === 'unexpected') unexpectedAttempts++;
        if (!this.waiting.has(key)) this.startedWaiting(key, topic, partition, error);
        else this.waiting.get(key)!.error = error;
        if (Date.now() - lagRefreshedAt >= LAG_REFRESH_MS) {
          lagRefreshedAt = Date.now();
          highWatermark = await this.currentHighWatermark(topic, partition, highWatermark);
          this.setLag(topic, partition, highWatermark, BigInt(offset) - 1n);
        }
        const backoff = Math.min(this.options.maxBackoffMs ?? 5_000, (this.options.retryBackoffMs ?? 200) * 2 ** Math.min(attempt - 1, 10));
        const logAt = attempt === 1 || attempt % 10 === 0 ? 'warn' : 'debug';
        log[logAt]({ consumer: this.options.consumer, topic, partition, offset, correlationId, attempt, kind, err: error, backoffMs: backoff }, 'batch failed; retrying');
        await heartbeat().catch(() => undefined);
        await this.sleep(backoff, live);
      }
    }
    if (this.waiting.delete(key)) this.resumed(topic, partition);
    return undefined;
  }

  private startedWaiting(key: string, topic: string, partition: number, error: string): void {
    const since = new Date();
    this.waiting.set(key, { topic, partition, since: since.toISOString(), error });
    messagingMetrics.partitionWaitingSince.set({ consumer: this.options.consumer, topic, partition: String(partition) }, since.getTime() / 1000);
    messagingMetrics.partitionsWaiting.set({ consumer: this.options.consumer }, this.waiting.size);
  }

  private resumed(topic: string, partition: number): void {
    log.info({ consumer: this.options.consumer, topic, partition }, 'partition resumed');
    messagingMetrics.partitionWaitingSince.remove({ consumer: this.options.consumer, topic, partition: String(partition) });
    messagingMetrics.partitionsWaiting.set({ consumer: this.options.consumer }, this.waiting.size);
  }

  /** The partition's high watermark now, from the broker; `known` when it cannot be asked. */
  private async currentHighWatermark(topic: string, partition: number, known: string): Promise<string> {
    if (!this.options.highWatermarks) return known;
    try {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error('no answer')), 3_000)));
      const marks = await Promise.race([this.options.highWatermarks(topic), timeout]).finally(() => clearTimeout(timer));
      return marks.get(partition) ?? known;
    } catch {
      return known; // the broker may be what is away; the lag keeps its last known value
    }
  }

  private setLag(topic: string, partition: number, highWatermark: string, lastDone: bigint): void {
    const lag = BigInt(highWatermark) - lastDone - 1n;
    messagingMetrics.lag.set({ consumer: this.options.consumer, topic, partition: String(partition) }, Number(lag > 0n ? lag : 0n));
  }

  private async sleep(ms: number, live: () => boolean): Promise<void> {
    const until = Date.now() + ms;
    while (Date.now() < until && live()) await new Promise((r) => setTimeout(r, Math.min(100, until - Date.now())));
  }

  private count(topic: string, outcomes: ProcessOutcome[]): void {
    const tally = new Map<ProcessOutcome, number>();
    for (const o of outcomes) tally.set(o, (tally.get(o) ?? 0) + 1);
    for (const [outcome, n] of tally) {
      messagingMetrics.consumed.inc({ consumer: this.options.consumer, topic, outcome }, n);
      if (outcome === 'dead-lettered') {
        messagingMetrics.deadLettered.inc({ consumer: this.options.consumer, topic }, n);
        log.warn({ consumer: this.options.consumer, topic, count: n }, 'messages dead-lettered');
      }
    }
  }

  /**
   * Stops taking work. A batch in flight finishes its transaction (or, if it is waiting out a
   * fault, gives up without committing, so it is re-delivered later); disconnecting from Kafka is
   * bounded by `timeoutMs`, as the broker may be the thing that is down.
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    this.stopping = true;
    const consumer = this.kafkaConsumer;
    this.kafkaConsumer = undefined;
    const drained = this.inFlight === 0 ? Promise.resolve() : new Promise<void>((r) => (this.idle = r));
    await withTimeout(
      drained.then(() => consumer?.disconnect()).catch(() => undefined),
      timeoutMs,
    );
  }
}

function toRaw(topic: string, partition: number, message: KafkaMessage): RawMessage {
  return {
    topic,
    partition,
    offset: message.offset,
    key: message.key?.toString() ?? null,
    headers: headersOf(message.headers),
    value: message.value?.toString() ?? '',
  };
}

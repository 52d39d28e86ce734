import type { EntityManager } from 'typeorm';
import type { EventEnvelope } from '@postrade/contracts';

/** A message as it came off a topic: raw enough to dead-letter or replay byte for byte. */
export interface RawMessage {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  value: string;
}

/**
 * The partition a message came from, `<topic>:<partition>`. A batch is always one partition, so a
 * consumer that appends to a hash chain per partition names its chain with this: batches of
 * different partitions then never wait on each other's chain head.
 */
export function partitionName(message: Pick<RawMessage, 'topic' | 'partition'>): string {
  return `${message.topic}:${message.partition}`;
}

/** An event that parsed and validated, handed to a handler. */
export interface ConsumedEvent<T = unknown> {
  envelope: EventEnvelope<T>;
  message: RawMessage;
}

/**
 * Applies one kind of event. `handle` runs inside the transaction that also records the event in
 * the inbox; it must do all its writes (including outbox events) through `em`.
 */
export interface EventHandler<T = unknown> {
  /** ce_type values this handler applies. */
  readonly eventTypes: readonly string[];
  /** class-validator class the payload must satisfy; invalid payloads go to the DLQ. */
  readonly payloadClass?: new () => object;
  handle(event: ConsumedEvent<T>, em: EntityManager): Promise<void>;
  /**
   * Optional: applies several new events of this handler's types at once (multi-row writes).
   * The runner passes a run of consecutive events from one partition, in partition order, all
   * already recorded in the inbox, inside one savepoint of the batch transaction. If it throws,
   * the runner rolls the savepoint back and applies the same events one at a time with `handle`,
   * each under its own savepoint, so that only the event at fault is dead-lettered.
   */
  handleBatch?(events: ConsumedEvent<T>[], em: EntityManager): Promise<void>;
}

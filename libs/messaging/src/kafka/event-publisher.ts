import type { Producer } from 'kafkajs';
import { CompressionTypes } from 'kafkajs';
import { createKafka, type KafkaConnection } from './kafka-client';

export interface OutgoingMessage {
  topic: string;
  key: string | null;
  value: string | Buffer;
  headers: Record<string, string>;
}

/**
 * The Kafka port for producing. Sends are acknowledged by all in-sync replicas and the producer is
 * idempotent with one request in flight, so a batch lands in order per partition.
 */
export interface EventPublisher {
  connect(): Promise<void>;
  send(messages: OutgoingMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export class KafkajsEventPublisher implements EventPublisher {
  private readonly producer: Producer;
  private connected = false;

  constructor(connection: KafkaConnection) {
    this.producer = createKafka(connection).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // An idempotent producer must not give up on a send (kafkajs warns otherwise): callers wait
      // for the broker to come back rather than lose or reorder an event.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 200, maxRetryTime: 10_000 },
    });
  }

  async connect(): Promise<void> {
    if (this.connected) return;
    await this.producer.connect();
    this.connected = true;
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) byTopic.set(m.topic, [...(byTopic.get(m.topic) ?? []), m]);
    await this.producer.sendBatch({
      acks: -1,
      compression: CompressionTypes.None,
      topicMessages: [...byTopic].map(([topic, list]) => ({
        topic,
        messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
      })),
    });
  }

  async disconnect(): Promise<void> {
    if (!this.connected) return;
    this.connected = false;
    await this.producer.disconnect();
  }
}

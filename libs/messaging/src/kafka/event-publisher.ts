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

/**
 * kafkajs behind the EventPublisher port. The producer is idempotent with one request in flight;
 * a send retries for about half a minute and then fails to the caller (the outbox relay, which
 * backs off and tries again), and the failed producer is replaced by a fresh one. Replacing it
 * matters: after a broker restart an idempotent kafkajs producer can be stuck answering "out of
 * order sequence number" forever; a new producer gets a new producer id. A replaced producer can
 * only cause a re-send, which consumers absorb by ce_id.
 */
export class KafkajsEventPublisher implements EventPublisher {
  private producer?: Producer;

  constructor(private readonly connection: KafkaConnection) {}

  private create(): Producer {
    return createKafka(this.connection).producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      retry: { retries: 6, initialRetryTime: 300, maxRetryTime: 8_000 },
    });
  }

  async connect(): Promise<void> {
    if (this.producer) return;
    const producer = this.create();
    await producer.connect();
    this.producer = producer;
  }

  async send(messages: OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return;
    await this.connect();
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list) list.push(m);
      else byTopic.set(m.topic, [m]);
    }
    try {
      await this.producer!.sendBatch({
        acks: -1,
        compression: CompressionTypes.None,
        topicMessages: [...byTopic].map(([topic, list]) => ({
          topic,
          messages: list.map((m) => ({ key: m.key, value: m.value, headers: m.headers })),
        })),
      });
    } catch (err) {
      const failed = this.producer;
      this.producer = undefined;
      await failed?.disconnect().catch(() => undefined);
      throw err;
    }
  }

  async disconnect(): Promise<void> {
    const producer = this.producer;
    this.producer = undefined;
    await producer?.disconnect();
  }
}

import { randomUUID } from 'node:crypto';
import { toHeaders } from '@postrade/contracts';
import { createKafka, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';

/** One consumed message, headers as text. */
export interface SeenMessage {
  topic: string;
  key: string | null;
  type: string | undefined;
  value: string;
}

/**
 * Publishes events as the outside world does: CloudEvents headers from the contracts, through the
 * project's Kafka publisher. Sends are batched by the caller.
 */
export class EventSender {
  private readonly publisher: KafkajsEventPublisher;

  constructor(connection: KafkaConnection, private readonly source: string) {
    this.publisher = new KafkajsEventPublisher(connection);
  }

  /** The message for an event; `id` may be given to deliver the same message twice. */
  message(topic: string, type: string, key: string, data: object, id: string = randomUUID()) {
    const headers = toHeaders({ id, source: this.source, type, time: new Date().toISOString(), subject: key, data });
    return { topic, key, value: JSON.stringify(data), headers };
  }

  async send(messages: ReturnType<EventSender['message']>[]): Promise<void> {
    await this.publisher.send(messages);
  }

  async close(): Promise<void> {
    await this.publisher.disconnect();
  }
}

/**
 * Watches topics from the moment it has joined (a consumer group of its own, from the latest
 * offsets): the simulator's observer and the custodian's inbox. `start` resolves once the first
 * fetch has run, so nothing published afterwards is missed.
 */
export class TopicWatcher {
  private readonly consumer;
  private stopped = false;

  constructor(connection: KafkaConnection, groupId: string, private readonly topics: string[], private readonly onMessage: (message: SeenMessage) => void) {
    this.consumer = createKafka(connection).consumer({ groupId, maxWaitTimeInMs: 200, sessionTimeout: 30_000 });
  }

  async start(timeoutMs = 60_000): Promise<void> {
    const fetched = new Promise<void>((resolve) => {
      const remove = this.consumer.on(this.consumer.events.FETCH_START, () => {
        remove();
        resolve();
      });
    });
    await this.consumer.connect();
    await this.consumer.subscribe({ topics: this.topics, fromBeginning: false });
    void this.consumer.run({
      eachMessage: async ({ topic, message }) => {
        if (this.stopped) return;
        const type = message.headers?.ce_type?.toString();
        this.onMessage({ topic, key: message.key?.toString() ?? null, type, value: message.value?.toString() ?? '' });
      },
    });
    await Promise.race([fetched, new Promise((_, reject) => setTimeout(() => reject(new Error(`consumer ${this.topics.join(',')} did not start within ${timeoutMs} ms`)), timeoutMs).unref())]);
    // The first fetch of a new group resolves its offsets; a second start means they are settled.
    await new Promise<void>((resolve) => {
      const remove = this.consumer.on(this.consumer.events.FETCH_START, () => {
        remove();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer.disconnect();
  }
}

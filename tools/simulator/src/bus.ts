import { randomUUID } from 'node:crypto';
import { isGatewayName, isInboundTopic, isTopicName, sourceFor, toHeaders, writersOf, type GatewayName } from '@postrade/contracts';
import type { Consumer } from 'kafkajs';
import { asPrincipal, createKafka, kafkaPasswordOf, KafkajsEventPublisher, type KafkaConnection } from '@postrade/messaging';

/** One consumed message, headers as text. */
export interface SeenMessage {
  topic: string;
  key: string | null;
  type: string | undefined;
  value: string;
}

/** The gateway that writes an inbound topic (`oms-gateway` for trades, …), or null for any other topic. */
export function gatewayOf(topic: string): GatewayName | null {
  if (!isTopicName(topic) || !isInboundTopic(topic)) return null;
  const writer = writersOf(topic)[0];
  return writer !== undefined && isGatewayName(writer) ? writer : null;
}

/**
 * Publishes events as the outside world does: CloudEvents headers from the contracts, through the
 * project's Kafka publisher, each inbound topic as the gateway that may write it (issue 19): the
 * upstream OMS's trades as `oms-gateway`, the counterparties' confirmations as
 * `counterparty-gateway`, the custodian's status updates and statements as `custodian-gateway`
 * (the given connection's broker, logged in as the gateway with its password, `<name>-dev` on a
 * development platform or `<NAME>_KAFKA_PASSWORD`); `ce_source` names the gateway and the run. A
 * topic no gateway writes goes as the given connection's principal. Sends are batched by the
 * caller. A send the broker does not take (it is restarting) is sent again until `deadlineMs` has
 * passed: every message keeps its id, so what the first attempt delivered is recognised as a
 * duplicate by the consumers.
 */
export class EventSender {
  private readonly publishers = new Map<GatewayName | 'own', KafkajsEventPublisher>();
  /** Sends that had to be repeated (the broker away), for the run's log. */
  resends = 0;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly source: string,
    private readonly deadlineMs = 120_000,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** The publisher logged in as the topic's gateway (one connection per gateway, made when first needed). */
  private publisherFor(topic: string): KafkajsEventPublisher {
    const gateway = gatewayOf(topic);
    const key = gateway ?? 'own';
    let publisher = this.publishers.get(key);
    if (!publisher) {
      const connection = gateway === null ? this.connection : asPrincipal(this.connection, { username: gateway, password: kafkaPasswordOf(gateway, this.env) });
      publisher = new KafkajsEventPublisher({ ...connection, clientId: `${this.connection.clientId}-${key}` });
      this.publishers.set(key, publisher);
    }
    return publisher;
  }

  /** The message for an event; `id` may be given to deliver the same message twice. */
  message(topic: string, type: string, key: string, data: object, id: string = randomUUID()) {
    // The gateway that writes the topic speaks for it (consumers refuse another ce_source), naming this run after a slash.
    const source = isTopicName(topic) && isInboundTopic(topic) ? sourceFor(topic, this.source) : this.source;
    const headers = toHeaders({ id, source, type, time: new Date().toISOString(), subject: key, data });
    return { topic, key, value: JSON.stringify(data), headers };
  }

  /** Sends each gateway's messages through its own connection, in the order the gateways first appear; each run in its order. */
  async send(messages: ReturnType<EventSender['message']>[]): Promise<void> {
    const byPublisher = new Map<KafkajsEventPublisher, ReturnType<EventSender['message']>[]>();
    for (const message of messages) {
      const publisher = this.publisherFor(message.topic);
      const run = byPublisher.get(publisher);
      if (run) run.push(message);
      else byPublisher.set(publisher, [message]);
    }
    for (const [publisher, run] of byPublisher) await this.sendWith(publisher, run);
  }

  private async sendWith(publisher: KafkajsEventPublisher, messages: ReturnType<EventSender['message']>[]): Promise<void> {
    const deadline = Date.now() + this.deadlineMs;
    for (let attempt = 1; ; attempt++) {
      try {
        await publisher.send(messages);
        return;
      } catch (err) {
        if (Date.now() >= deadline) throw err;
        this.resends++;
        await new Promise((r) => setTimeout(r, Math.min(2_000, 200 * attempt)));
      }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.publishers.values()].map((p) => p.disconnect()));
  }
}

/**
 * Watches topics from the moment it starts (a consumer group of its own): the simulator's observer
 * and the custodian's inbox. The topics' ends are read first and the group's first consumer starts
 * there (a seek, which commits them), so it reads everything published from then on, and a
 * consumer that restarts (the broker went away) goes on from the group's committed offsets rather
 * than from the topics' ends again. A consumer that kafkajs gives up on is replaced by a new one.
 * `start` resolves once the first fetch has run from those offsets.
 */
export class TopicWatcher {
  private consumer?: Consumer;
  private stopped = false;
  /** Where the group starts, until its first fetch has committed it. */
  private startOffsets: Map<string, { partition: number; offset: string }[]> | null = null;
  /** Times the consumer crashed (and went on), for the run's log. */
  crashes = 0;

  constructor(
    private readonly connection: KafkaConnection,
    private readonly groupId: string,
    private readonly topics: string[],
    private readonly onMessage: (message: SeenMessage) => void,
  ) {}

  async start(timeoutMs = 60_000): Promise<void> {
    const admin = createKafka(this.connection).admin();
    await admin.connect();
    try {
      const ends = new Map<string, { partition: number; offset: string }[]>();
      for (const topic of this.topics) ends.set(topic, (await admin.fetchTopicOffsets(topic)).map((p) => ({ partition: p.partition, offset: p.offset })));
      this.startOffsets = ends;
    } finally {
      await admin.disconnect();
    }
    const { fetched } = await this.launch();
    await Promise.race([fetched, new Promise((_, reject) => setTimeout(() => reject(new Error(`consumer ${this.topics.join(',')} did not start within ${timeoutMs} ms`)), timeoutMs).unref())]);
  }

  /** Connects and runs a consumer of the group; `fetched` resolves after its first fetch. */
  private async launch(): Promise<{ fetched: Promise<void> }> {
    const consumer = createKafka(this.connection).consumer({ groupId: this.groupId, maxWaitTimeInMs: 200, sessionTimeout: 30_000 });
    this.consumer = consumer;
    const fetched = new Promise<void>((resolve) => {
      const remove = consumer.on(consumer.events.FETCH, () => {
        remove();
        this.startOffsets = null; // the seeks are committed: from now on the group's offsets rule
        resolve();
      });
    });
    consumer.on(consumer.events.GROUP_JOIN, ({ payload }) => {
      const starts = this.startOffsets;
      if (!starts) return;
      for (const [topic, partitions] of Object.entries(payload.memberAssignment)) {
        for (const start of starts.get(topic) ?? []) if (partitions.includes(start.partition)) consumer.seek({ topic, partition: start.partition, offset: start.offset });
      }
    });
    consumer.on(consumer.events.CRASH, ({ payload }) => {
      this.crashes++;
      // kafkajs restarts the consumer itself after a retriable error; otherwise a new one goes on.
      if (!payload.restart) this.replace(consumer);
    });
    await consumer.connect();
    await consumer.subscribe({ topics: this.topics, fromBeginning: false });
    void consumer
      .run({
        eachMessage: async ({ topic, message }) => {
          if (this.stopped) return;
          const type = message.headers?.ce_type?.toString();
          this.onMessage({ topic, key: message.key?.toString() ?? null, type, value: message.value?.toString() ?? '' });
        },
      })
      .catch(() => this.replace(consumer));
    return { fetched };
  }

  /** A new consumer in place of one kafkajs gave up on, tried again until one runs (the broker may still be away). */
  private replace(failed: Consumer): void {
    setTimeout(async () => {
      if (this.stopped || this.consumer !== failed) return;
      await failed.disconnect().catch(() => undefined);
      while (!this.stopped) {
        try {
          await this.launch();
          return;
        } catch {
          await this.consumer?.disconnect().catch(() => undefined);
          await new Promise((r) => setTimeout(r, 1_000));
        }
      }
    }, 1_000).unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.consumer?.disconnect();
  }
}

/**
 * Whether a service's consumer group has taken in everything published so far on some topics:
 * the topics' ends are read once, then the group's committed offsets are polled until they reach
 * them (a service commits a batch only after its transaction has committed, so an offset reached
 * is work done). Used where a REST answer cannot tell: reconciliation has no read of the settled
 * movements or trades it projects, only of the positions and cash they add up to.
 */
export async function awaitConsumerGroup(
  connection: KafkaConnection,
  groupId: string,
  topics: string[],
  timeoutMs: number,
): Promise<{ caughtUp: boolean; behind: string[] }> {
  const admin = createKafka(connection).admin();
  await admin.connect();
  try {
    const ends = new Map<string, bigint>();
    for (const topic of topics) for (const p of await admin.fetchTopicOffsets(topic)) ends.set(`${topic}[${p.partition}]`, BigInt(p.offset));
    let behind: string[] = [];
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const committed = new Map<string, bigint>();
      let offsets: Awaited<ReturnType<typeof admin.fetchOffsets>>;
      try {
        offsets = await admin.fetchOffsets({ groupId, topics });
      } catch (err) {
        // A broker just restarted answers NOT_COORDINATOR (and the like) until the group's coordinator
        // is loaded again: retriable, waited out like the rest, within the same deadline.
        if (!(err as { retriable?: boolean }).retriable || Date.now() >= deadline) throw err;
        await new Promise((r) => setTimeout(r, 250));
        continue;
      }
      for (const { topic, partitions } of offsets) {
        for (const p of partitions) committed.set(`${topic}[${p.partition}]`, BigInt(p.offset));
      }
      behind = [...ends].filter(([at, end]) => end > 0n && (committed.get(at) ?? -1n) < end).map(([at, end]) => `${at} at ${committed.get(at) ?? -1n} of ${end}`);
      if (behind.length === 0) return { caughtUp: true, behind };
      if (Date.now() >= deadline) return { caughtUp: false, behind };
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await admin.disconnect();
  }
}

import type { Kafka } from 'kafkajs';
import { createKafka, type KafkaConnection } from './kafka-client';

export interface TopicSpec {
  name: string;
  partitions: number;
  /** Topic-level configuration set when the topic is created (an existing topic's is left as it is). */
  config?: Readonly<Record<string, string>>;
}

/**
 * Creates the given topics explicitly (the broker runs with auto-creation off). Existing topics are
 * left alone; a topic with fewer partitions than asked for is grown, never shrunk.
 */
export async function ensureTopics(connection: KafkaConnection, topics: TopicSpec[]): Promise<void> {
  const admin = createKafka(connection).admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = topics.filter((t) => !existing.has(t.name));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((t) => ({
          topic: t.name,
          numPartitions: t.partitions,
          replicationFactor: 1,
          configEntries: Object.entries(t.config ?? {}).map(([name, value]) => ({ name, value })),
        })),
      });
    }
    const present = topics.filter((t) => existing.has(t.name));
    if (present.length > 0) {
      const { topics: metadata } = await admin.fetchTopicMetadata({ topics: present.map((t) => t.name) });
      const grow = present.filter((t) => {
        const current = metadata.find((m) => m.name === t.name)?.partitions.length ?? t.partitions;
        return current < t.partitions;
      });
      if (grow.length > 0) {
        await admin.createPartitions({ topicPartitions: grow.map((t) => ({ topic: t.name, count: t.partitions })) });
      }
    }
  } finally {
    await admin.disconnect();
  }
}

/** Resolves when the broker answers a metadata request; rejects with the last error after `timeoutMs`. */
export async function waitForBroker(connection: KafkaConnection, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      await describeCluster(createKafka(connection, { quiet: true }));
      return;
    } catch (err) {
      lastError = err;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  throw new Error(`Kafka at ${connection.brokers.join(',')} did not accept clients within ${timeoutMs} ms: ${String(lastError)}`);
}

export async function brokerAnswers(connection: KafkaConnection): Promise<boolean> {
  try {
    await describeCluster(createKafka(connection, { quiet: true }));
    return true;
  } catch {
    return false;
  }
}

async function describeCluster(kafka: Kafka): Promise<void> {
  const admin = kafka.admin({ retry: { retries: 0 } });
  await admin.connect();
  try {
    await admin.describeCluster();
  } finally {
    await admin.disconnect();
  }
}

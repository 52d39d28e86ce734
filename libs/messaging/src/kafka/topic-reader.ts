import { randomUUID } from 'node:crypto';
import type { RawMessage } from '../consumer/consumed-event';
import { createKafka, type KafkaConnection } from './kafka-client';
import { headersOf } from './message-headers';

/**
 * Reads a topic from the beginning with a throw-away consumer group until `until` is satisfied or
 * the timeout passes; for operations tooling and tests that need to see what is on a topic.
 */
export async function readTopic(
  connection: KafkaConnection,
  topic: string,
  until: (messages: RawMessage[]) => boolean,
  timeoutMs = 30_000,
): Promise<RawMessage[]> {
  // A group named after the principal: the only groups its ACL lets it use (docs/security.md).
  const consumer = createKafka(connection).consumer({ groupId: `${connection.sasl?.username ?? 'postrade'}-reader-${randomUUID()}`, maxWaitTimeInMs: 100 });
  const seen: RawMessage[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms reading ${topic}; saw ${seen.length} messages`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            seen.push({ topic, partition, offset: message.offset, key: message.key?.toString() ?? null, headers: headersOf(message.headers), value: message.value?.toString() ?? '' });
            if (until(seen)) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return seen;
  } finally {
    await consumer.disconnect();
  }
}

import { randomUUID } from 'node:crypto';
import { Topics } from '@postrade/contracts';
import type { ChainAnchor } from '@postrade/kernel';
import { createKafka, type KafkaConnection } from '../kafka/kafka-client';

/** An anchor as read back from `audit.anchors.v1`, with where it is. */
export interface PublishedAnchor {
  anchor: ChainAnchor;
  partition: number;
  offset: string;
}

/** The first window of each partition's end that is read; widened tenfold until an anchor is found or the partition is read whole. */
const FIRST_WINDOW = 200;

/**
 * The latest anchor on `audit.anchors.v1` that `matches` (one service's schema and trail), read from
 * Kafka itself, never from a copy in the database: a short-lived consumer (a throw-away group
 * `<principal>.anchor-reader.<uuid>`, no commits) reads the last messages of every partition up to the end as it was when the call began,
 * looking further back only when the end holds no anchor of that trail. An anchor's trail always
 * lands on one partition (its key), so the latest is the one at the highest offset there.
 * Returns null when the topic holds none; rejects when the broker does not answer in `timeoutMs`.
 */
export async function readLatestAnchor(
  connection: KafkaConnection,
  matches: (anchor: Partial<ChainAnchor>) => boolean,
  timeoutMs = 15_000,
): Promise<PublishedAnchor | null> {
  const admin = createKafka(connection).admin();
  await admin.connect();
  let ends: { partition: number; low: bigint; high: bigint }[];
  try {
    ends = (await admin.fetchTopicOffsets(Topics.auditAnchors)).map((p) => ({ partition: p.partition, low: BigInt(p.low), high: BigInt(p.high) }));
  } finally {
    await admin.disconnect();
  }
  for (let window = BigInt(FIRST_WINDOW); ; window *= 10n) {
    const ranges = ends.filter((p) => p.high > p.low).map((p) => ({ ...p, from: p.high - window > p.low ? p.high - window : p.low }));
    if (ranges.length === 0) return null;
    const found = await readRanges(connection, ranges, matches, timeoutMs);
    if (found.length > 0) return found.reduce((latest, a) => (a.partition === latest.partition ? BigInt(a.offset) > BigInt(latest.offset) : a.anchor.anchoredAt > latest.anchor.anchoredAt) ? a : latest);
    if (ranges.every((r) => r.from === r.low)) return null;
  }
}

/** Reads offsets [from, high) of each partition and keeps the anchors that match. */
async function readRanges(
  connection: KafkaConnection,
  ranges: { partition: number; from: bigint; high: bigint }[],
  matches: (anchor: Partial<ChainAnchor>) => boolean,
  timeoutMs: number,
): Promise<PublishedAnchor[]> {
  // A group named after the principal (`<service>.anchor-reader.<uuid>`): the broker's ACLs let a
  // service use only consumer groups that start with its name.
  const groupId = `${connection.sasl?.username ?? connection.clientId}.anchor-reader.${randomUUID()}`;
  const consumer = createKafka(connection).consumer({ groupId, maxWaitTimeInMs: 100 });
  const from = new Map(ranges.map((r) => [r.partition, r.from]));
  const pending = new Map(ranges.map((r) => [r.partition, r.high - 1n]));
  const found: PublishedAnchor[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: Topics.auditAnchors, fromBeginning: true });
    // Once the group is joined, skip to the window: messages before it that arrive first are only
    // read past, and should a seek fail the partition is read from its start, which is slower, not wrong.
    consumer.on(consumer.events.GROUP_JOIN, () => {
      for (const r of ranges) {
        try {
          consumer.seek({ topic: Topics.auditAnchors, partition: r.partition, offset: r.from.toString() });
        } catch {
          // read from the start instead
        }
      }
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms reading ${Topics.auditAnchors}`)), timeoutMs);
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const offset = BigInt(message.offset);
            if (offset >= (from.get(partition) ?? 0n) && offset < (pending.get(partition) ?? -1n) + 1n) {
              const anchor = parse(message.value?.toString());
              if (anchor && matches(anchor)) found.push({ anchor: anchor as ChainAnchor, partition, offset: message.offset });
            }
            if (pending.has(partition) && offset >= pending.get(partition)!) pending.delete(partition);
            if (pending.size === 0) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .catch(reject);
    });
    return found;
  } finally {
    await consumer.disconnect();
  }
}

function parse(value: string | undefined): Partial<ChainAnchor> | null {
  if (!value) return null;
  try {
    const parsed: unknown = JSON.parse(value);
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Partial<ChainAnchor>) : null;
  } catch {
    return null;
  }
}

import type { EntityManager } from 'typeorm';

export interface InboxEntry {
  eventId: string;
  eventType: string;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Records in one multi-row insert that a consumer is applying these events, in the same transaction
 * as their effects, and returns the ids that were new. An id already in the inbox was applied (or
 * dead-lettered) before: the caller skips it, so a re-delivery has no second effect.
 */
export async function recordNewInInbox(em: EntityManager, consumer: string, entries: InboxEntry[]): Promise<Set<string>> {
  if (entries.length === 0) return new Set();
  const rows: { event_id: string }[] = await em.query(
    `insert into inbox (consumer, event_id, event_type, topic, partition, "offset")
     select $1, e.event_id, e.event_type, e.topic, e.partition, e."offset"
       from unnest($2::uuid[], $3::text[], $4::text[], $5::int[], $6::bigint[]) as e(event_id, event_type, topic, partition, "offset")
     on conflict (consumer, event_id) do nothing
     returning event_id`,
    [
      consumer,
      entries.map((e) => e.eventId),
      entries.map((e) => e.eventType),
      entries.map((e) => e.topic),
      entries.map((e) => e.partition),
      entries.map((e) => e.offset),
    ],
  );
  return new Set(rows.map((r) => r.event_id.toLowerCase()));
}

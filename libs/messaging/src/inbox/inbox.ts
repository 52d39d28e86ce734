import type { EntityManager } from 'typeorm';

export interface InboxEntry {
  consumer: string;
  eventId: string;
  eventType: string;
  topic: string;
  partition: number;
  offset: string;
}

/**
 * Records that a consumer applied an event, in the same transaction as the effect. Returns false
 * when the event was already applied: the caller then skips the effect (a re-delivery has no
 * second effect).
 */
export async function recordInInbox(em: EntityManager, entry: InboxEntry): Promise<boolean> {
  const rows: unknown[] = await em.query(
    `insert into inbox (consumer, event_id, event_type, topic, partition, "offset")
     values ($1, $2, $3, $4, $5, $6)
     on conflict (consumer, event_id) do nothing
     returning event_id`,
    [entry.consumer, entry.eventId, entry.eventType, entry.topic, entry.partition, entry.offset],
  );
  return rows.length === 1;
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { toHeaders, type EventEnvelope } from '@postrade/contracts';

/** An event a use case wants published, decided inside its transaction. */
export interface EventToPublish<T = unknown> {
  topic: string;
  /** Partition key: the aggregate id, so all events of one aggregate stay in order. */
  key: string;
  type: string;
  /** ce_subject; defaults to the key. */
  subject?: string;
  data: T;
  correlationId?: string;
  causationId?: string;
}

/** Name of the Postgres NOTIFY channel the relay of a schema listens on. */
export function outboxChannel(schema: string): string {
  return `postrade_outbox_${schema}`;
}

/**
 * Transactional outbox. `add` writes through the caller's EntityManager, so the business change
 * and its events commit or roll back together; NOTIFY (delivered only at commit) wakes the relay.
 */
export class Outbox {
  constructor(
    private readonly source: string,
    private readonly schema: string,
  ) {}

  async add<T>(em: EntityManager, events: EventToPublish<T> | EventToPublish<T>[]): Promise<EventEnvelope<T>[]> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return [];
    const envelopes: EventEnvelope<T>[] = list.map((event) => ({
      id: randomUUID(),
      source: this.source,
      type: event.type,
      time: new Date().toISOString(),
      subject: event.subject ?? event.key,
      correlationId: event.correlationId,
      causationId: event.causationId,
      data: event.data,
    }));
    // Multi-row inserts (Postgres allows 65,535 parameters, so 1,000 rows at a time); a VALUES list
    // takes its serial positions in list order, which is the publish order.
    for (let start = 0; start < list.length; start += 1000) {
      const params: unknown[] = [];
      const rows = list.slice(start, start + 1000).map((event, i) => {
        const envelope = envelopes[start + i];
        params.push(envelope.id, event.topic, event.key, event.type, JSON.stringify(toHeaders(envelope)), JSON.stringify(event.data));
        const p = params.length - 6;
        return `($${p + 1}, $${p + 2}, $${p + 3}, $${p + 4}, $${p + 5}, $${p + 6})`;
      });
      await em.query(`insert into outbox (event_id, topic, message_key, event_type, headers, payload) values ${rows.join(', ')}`, params);
    }
    await em.query(`select pg_notify($1, '')`, [outboxChannel(this.schema)]);
    return envelopes;
  }
}

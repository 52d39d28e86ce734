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

/** A message to publish as it is, headers and all (a dead-letter copy of a consumed message). */
export interface RawMessageToPublish {
  topic: string;
  key: string | null;
  headers: Record<string, string>;
  value: string;
}

/** EntityManagers of transactions that wrote outbox rows: the relay is woken when they commit. */
const wroteOutbox = new WeakSet<EntityManager>();

/** True when the transaction of `em` added outbox rows (checked by the relay's commit listener). */
export function transactionWroteOutbox(em: EntityManager): boolean {
  return wroteOutbox.has(em);
}

const ROWS_PER_INSERT = 5000; // rows per statement, to bound one statement's size

/**
 * Transactional outbox. `add` writes through the caller's EntityManager, so the business change
 * and its events commit or roll back together. No NOTIFY: the relay of this process is woken after
 * the commit (TransactionRunner's commit listener) and other replicas poll adaptively, so committing
 * transactions never queue on Postgres's cluster-wide notification lock.
 *
 * The ordering rule. The relay publishes rows in `position` order, and a position is taken when the
 * row is inserted, not when it commits; so two transactions can commit their rows in the opposite
 * order of their positions. Per-aggregate order therefore rests on this locking rule, which every
 * use case follows: **lock the aggregate's row (`select … for update`, or the insert that creates
 * it) before adding its events, and hold the lock until commit.** A second transaction writing
 * events for the same aggregate then waits for the first to commit before it can take a position,
 * so one aggregate's positions are in commit order. Events of different aggregates carry no order
 * promise beyond their partition key. The relay must also be the only publisher of a schema (a
 * leader lock), and must never skip a locked or invisible row (no `SKIP LOCKED`), or it could
 * publish a later event of an aggregate before an earlier one.
 */
export class Outbox {
  constructor(
    private readonly source: string,
    readonly schema: string,
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
    await insertRows(
      em,
      list.map((event, i) => ({
        eventId: envelopes[i].id,
        topic: event.topic,
        key: event.key,
        type: event.type,
        headers: toHeaders(envelopes[i]),
        payload: JSON.stringify(event.data),
      })),
    );
    return envelopes;
  }

  /** Adds messages to publish verbatim (headers kept as given), e.g. dead-letter copies. */
  async addRaw(em: EntityManager, messages: RawMessageToPublish[]): Promise<void> {
    await insertRows(
      em,
      messages.map((m) => ({ eventId: randomUUID(), topic: m.topic, key: m.key ?? '', type: m.headers.ce_type ?? 'unknown', headers: m.headers, payload: m.value })),
    );
  }
}

interface OutboxInsert {
  eventId: string;
  topic: string;
  key: string;
  type: string;
  headers: Record<string, string>;
  payload: string;
}

async function insertRows(em: EntityManager, rows: OutboxInsert[]): Promise<void> {
  if (rows.length === 0) return;
  // One statement with six array parameters (not six parameters a row): cheaper to bind and parse.
  // Rows take their serial positions in `ord` order, which is the publish order.
  for (let start = 0; start < rows.length; start += ROWS_PER_INSERT) {
    const chunk = rows.slice(start, start + ROWS_PER_INSERT);
    await em.query(
      `insert into outbox (event_id, topic, message_key, event_type, headers, payload)
       select event_id, topic, message_key, event_type, headers, payload
         from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[])
              with ordinality as r(event_id, topic, message_key, event_type, headers, payload, ord)
        order by ord`,
      [
        chunk.map((r) => r.eventId),
        chunk.map((r) => r.topic),
        chunk.map((r) => r.key),
        chunk.map((r) => r.type),
        chunk.map((r) => JSON.stringify(r.headers)),
        chunk.map((r) => r.payload),
      ],
    );
  }
  wroteOutbox.add(em);
}

import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { checkedHeaders, CloudEventHeaders, requireText, toHeaders, type EventEnvelope } from '@postrade/contracts';
import { traceContextForOutbox, traceHeadersOf } from '../tracing/event-trace-context';

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
    const time = new Date().toISOString();
    const envelopes: EventEnvelope<T>[] = list.map((event) => ({
      id: randomUUID(),
      source: this.source,
      type: event.type,
      time,
      subject: event.subject ?? event.key,
      correlationId: event.correlationId,
      causationId: event.causationId,
      data: event.data,
    }));
    // Checked now, so that the relay can always build the headers later: the attributes shared by
    // every event of the call once, what each event brings (type, subject) for each.
    toHeaders(envelopes[0]);
    for (const e of envelopes) {
      requireText(CloudEventHeaders.type, e.type);
      requireText(CloudEventHeaders.subject, e.subject);
    }
    // The span the event was decided in (the request's, the consumed event's), which its consumer continues.
    const traces = list.map((e) => traceContextForOutbox(e.causationId));
    for (let start = 0; start < list.length; start += ROWS_PER_INSERT) {
      const chunk = list.slice(start, start + ROWS_PER_INSERT);
      const chunkEnvelopes = envelopes.slice(start, start + ROWS_PER_INSERT);
      const chunkTraces = traces.slice(start, start + ROWS_PER_INSERT);
      // One statement of array parameters (not parameters a row): cheaper to bind and parse. Rows
      // take their serial positions in `ord` order, which is the publish order.
      await em.query(
        `insert into outbox (event_id, topic, message_key, event_type, source, event_time, subject, correlation_id, causation_id, payload, traceparent, tracestate)
         select event_id, topic, message_key, event_type, $5, $6, subject, correlation_id, causation_id, payload, traceparent, tracestate
           from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::text[], $12::text[])
                with ordinality as r(event_id, topic, message_key, event_type, subject, correlation_id, causation_id, payload, traceparent, tracestate, ord)
          order by ord`,
        [
          chunkEnvelopes.map((e) => e.id),
          chunk.map((e) => e.topic),
          chunk.map((e) => e.key),
          chunk.map((e) => e.type),
          this.source,
          time,
          chunk.map((e) => (e.subject === undefined || e.subject === e.key ? null : e.subject)),
          chunk.map((e) => e.correlationId || null), // empty means absent, as toHeaders has it
          chunk.map((e) => e.causationId || null),
          chunk.map((e) => JSON.stringify(e.data)),
          chunkTraces.map((t) => t.traceparent),
          chunkTraces.map((t) => t.tracestate),
        ],
      );
    }
    wroteOutbox.add(em);
    return envelopes;
  }

  /** Adds messages to publish verbatim (headers kept as given), e.g. dead-letter copies. */
  async addRaw(em: EntityManager, messages: RawMessageToPublish[]): Promise<void> {
    if (messages.length === 0) return;
    for (let start = 0; start < messages.length; start += ROWS_PER_INSERT) {
      const chunk = messages.slice(start, start + ROWS_PER_INSERT);
      await em.query(
        `insert into outbox (event_id, topic, message_key, event_type, headers, payload)
         select event_id, topic, message_key, event_type, headers, payload
           from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::jsonb[], $6::text[])
                with ordinality as r(event_id, topic, message_key, event_type, headers, payload, ord)
          order by ord`,
        [
          chunk.map(() => randomUUID()),
          chunk.map((m) => m.topic),
          chunk.map((m) => m.key ?? ''),
          chunk.map((m) => m.headers.ce_type ?? 'unknown'),
          chunk.map((m) => JSON.stringify(m.headers)),
          chunk.map((m) => m.value),
        ],
      );
    }
    wroteOutbox.add(em);
  }
}

/** An outbox row as the relay reads it: verbatim headers, or the envelope attributes to build them from. */
export interface OutboxRow {
  position: string;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  headers: Record<string, string> | null;
  source: string | null;
  event_time: string | null;
  subject: string | null;
  correlation_id: string | null;
  causation_id: string | null;
  /** W3C trace context of the span that wrote the event; null for rows written before tracing. */
  traceparent?: string | null;
  tracestate?: string | null;
  payload: string;
}

/**
 * The Kafka headers of a row: as stored for a verbatim message, else the CloudEvents headers of its
 * envelope with its trace context (`ce_traceparent`, `ce_tracestate`) when it has one.
 */
export function headersOf(row: OutboxRow): Record<string, string> {
  if (row.headers) return row.headers;
  // The attributes were checked when the event was added (`Outbox.add`).
  const headers = checkedHeaders({
    id: row.event_id,
    source: row.source!,
    type: row.event_type,
    time: row.event_time!,
    subject: row.subject ?? row.message_key,
    correlationId: row.correlation_id ?? undefined,
    causationId: row.causation_id ?? undefined,
  });
  return traceHeadersOf(row, headers);
}

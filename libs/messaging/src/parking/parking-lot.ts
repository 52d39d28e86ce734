import type { DataSource, EntityManager } from 'typeorm';
import { TransactionRunner } from '@postrade/persistence';
import { createLogger } from '@postrade/platform';
import type { RawMessage } from '../consumer/consumed-event';
import { deadLetterInTransaction } from '../dead-letters/dead-letter-store';
import type { Outbox } from '../outbox/outbox';

const log = createLogger('parking');

/** An input to park: what it is, what it waits for, and until when. */
export interface ParkOrder<P = unknown> {
  kind: string;
  /** Its identity within `kind`: the same input parked again (a re-delivery) stays one row. */
  inputKey: string;
  /** The keys of the counterparts it waits for; the arrival of any takes it out. */
  waitingFor: string[];
  /** What it waits for, as operations read it, e.g. `waiting for trade 5f0c…`. */
  reason: string;
  /** What re-applying it needs. */
  payload: P;
  /** The message as consumed, dead-lettered verbatim when it expires (null: an input not from Kafka). */
  message?: RawMessage | null;
  /** The consumer group that consumed it; the lot's own when not given. */
  consumer?: string;
  /** The original event, also when its message is not kept. */
  topic?: string | null;
  eventId?: string | null;
  eventType?: string | null;
  /** How long it may wait from now; or `expiresAt`, e.g. to keep the expiry of an input parked again. */
  expiresInMs?: number;
  expiresAt?: string | Date;
  /** When it was first parked, for an input parked again after a release; now when not given. */
  parkedAt?: string | Date;
}

/** A parked input as it waits. */
export interface ParkedInput<P = unknown> {
  id: string;
  kind: string;
  inputKey: string;
  waitingFor: string[];
  reason: string;
  consumer: string | null;
  topic: string | null;
  eventId: string | null;
  eventType: string | null;
  message: RawMessage | null;
  payload: P;
  parkedAt: string;
  expiresAt: string;
}

/** How many inputs of a kind wait, and since when the oldest does. */
export interface ParkingStats {
  kind: string;
  count: number;
  oldestParkedAt: string;
}

/** Where a list page starts: after this row in `(parked_at, id)` order. */
export interface ParkedPosition {
  parkedAt: string;
  id: string;
}

/** Runs in the transaction that dead-letters an expired input (e.g. to tell its sender it was rejected). */
export type ExpiryHook = (em: EntityManager, parked: ParkedInput<any>, reason: string) => Promise<void>;

interface Row {
  id: string;
  kind: string;
  input_key: string;
  waiting_for: string[];
  reason: string;
  consumer: string | null;
  topic: string | null;
  event_id: string | null;
  event_type: string | null;
  message: RawMessage | null;
  payload: unknown;
  parked_at: Date;
  expires_at: Date;
}

const toParked = <P>(r: Row): ParkedInput<P> => ({
  id: r.id,
  kind: r.kind,
  inputKey: r.input_key,
  waitingFor: r.waiting_for,
  reason: r.reason,
  consumer: r.consumer,
  topic: r.topic,
  eventId: r.event_id,
  eventType: r.event_type,
  message: r.message,
  payload: r.payload as P,
  parkedAt: r.parked_at.toISOString(),
  expiresAt: r.expires_at.toISOString(),
});


/** `72h`, `10m`, `1h 30m`, `2s`, `250ms`: how long an input waited, for its dead letter. */
export function formatWait(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.round(ms))}ms`;
  let seconds = Math.round(ms / 1000);
  const parts: string[] = [];
  for (const [unit, size] of [['h', 3600], ['m', 60], ['s', 1]] as const) {
    const n = Math.floor(seconds / size);
    seconds -= n * size;
    if (n > 0) parts.push(`${n}${unit}`);
  }
  return parts.join(' ');
}

/** The dead letter's error of an input whose counterpart never came. */
export function expiryReason(parked: Pick<ParkedInput, 'kind' | 'reason' | 'parkedAt' | 'expiresAt'>): string {
  const waited = formatWait(Date.parse(parked.expiresAt) - Date.parse(parked.parkedAt));
  return `parked ${parked.kind} expired: ${parked.reason}; waited ${waited} (parked at ${parked.parkedAt}) and it never arrived`;
}

/** How many expired inputs one transaction dead-letters; the rest go in the next ones. */
export const EXPIRY_CHUNK = 200;

/**
 * The service's parking lot (`parked_inputs`, made by `createParkedInputsTable`): input that
 * waits for its counterpart is parked in the transaction that found the counterpart missing,
 * listed while it waits, taken out exactly once (in the transaction that brings the counterpart,
 * to be re-applied there) and, when its wait is over, moved to the service's dead letters with the
 * reason, in the transaction that takes it out. Nothing leaves the lot any other way.
 */
export class ParkingLot {
  private readonly hooks = new Map<string, ExpiryHook>();

  constructor(
    private readonly options: {
      /** The consumer group a parked message is dead-lettered under when its order names none. */
      consumer: string;
      /** The service's DLQ topic, `<service>.dlq.v1`. */
      dlqTopic: string;
      outbox: Outbox;
    },
  ) {}

  /** Adds `hook` to the transaction that dead-letters an expired input of `kind`. */
  onExpiry(kind: string, hook: ExpiryHook): void {
    this.hooks.set(kind, hook);
  }

  /**
   * Parks inputs in the caller's transaction, in one statement. An input already parked (same kind
   * and key, or given twice) stays as it was first parked. Returns the keys (`kind` NUL
   * `inputKey`) parked by this call.
   */
  async park(em: EntityManager, orders: readonly ParkOrder[]): Promise<Set<string>> {
    const first = new Map<string, ParkOrder>();
    for (const o of orders) {
      if (o.expiresAt === undefined && o.expiresInMs === undefined) throw new Error(`parked ${o.kind} ${o.inputKey} has no expiry`);
      const key = `${o.kind}\u0000${o.inputKey}`;
      if (!first.has(key)) first.set(key, o);
    }
    if (first.size === 0) return new Set();
    // Written in key order (two transactions parking the same inputs in other orders cannot
    // deadlock), numbered in the order given (`arrival`, the order they are re-applied in).
    const rows = [...first.values()].map((o, arrival) => ({
      arrival,
      kind: o.kind,
      input_key: o.inputKey,
      waiting_for: o.waitingFor,
      reason: o.reason,
      consumer: o.consumer ?? this.options.consumer,
      topic: o.topic ?? o.message?.topic ?? null,
      event_id: o.eventId ?? null,
      event_type: o.eventType ?? null,
      message: o.message ?? null,
      payload: o.payload === undefined ? null : o.payload,
      parked_at: o.parkedAt === undefined ? null : new Date(o.parkedAt).toISOString(),
      expires_at: o.expiresAt === undefined ? null : new Date(o.expiresAt).toISOString(),
      expires_in_ms: o.expiresInMs ?? null,
    }));
    const parked: { kind: string; input_key: string }[] = await em.query(
      `with given as (
         -- nextval is evaluated after the sort: arrivals follow the order given
         select e, nextval(pg_get_serial_sequence('parked_inputs', 'arrival')) as arrival
           from jsonb_array_elements($1::jsonb) as e order by (e->>'arrival')::int)
       insert into parked_inputs (arrival, kind, input_key, waiting_for, reason, consumer, topic, event_id, event_type, message, payload, parked_at, expires_at)
       select arrival, e->>'kind', e->>'input_key', array(select jsonb_array_elements_text(e->'waiting_for')), e->>'reason', e->>'consumer', e->>'topic',
              e->>'event_id', e->>'event_type', nullif(e->'message', 'null'::jsonb), e->'payload', coalesce((e->>'parked_at')::timestamptz, now()),
              coalesce((e->>'expires_at')::timestamptz, now() + (e->>'expires_in_ms')::bigint * interval '1 millisecond')
         from given
        order by e->>'kind', e->>'input_key'
       on conflict (kind, input_key) do nothing
       returning kind, input_key`,
      [JSON.stringify(rows)],
    );
    return new Set(parked.map((p) => `${p.kind}\u0000${p.input_key}`));
  }

  /** The inputs of `kind` (or of any of several kinds) among `inputKeys` that are parked. */
  async find<P = unknown>(em: EntityManager, kind: string | readonly string[], inputKeys: readonly string[]): Promise<ParkedInput<P>[]> {
    if (inputKeys.length === 0) return [];
    const rows: Row[] = await em.query('select * from parked_inputs where kind = any($1::text[]) and input_key = any($2::text[]) order by parked_at, arrival', [
      typeof kind === 'string' ? [kind] : [...kind],
      [...inputKeys],
    ]);
    return rows.map((r) => toParked<P>(r));
  }

  /**
   * Takes out (deletes and returns), in the caller's transaction, every input waiting for any of
   * `keys` (of `kinds`, when given), oldest first (in the order they were parked), for the caller
   * to re-apply there. Exactly once:
   * a concurrent transaction taking the same inputs waits on the delete, then finds them gone if
   * this one commits, or takes them itself if this one rolls back.
   */
  async takeFor<P = unknown>(em: EntityManager, keys: readonly string[], kinds?: readonly string[]): Promise<ParkedInput<P>[]> {
    if (keys.length === 0) return [];
    // A select around the delete: TypeORM answers a bare DELETE with [rows, count].
    const rows: Row[] = await em.query(
      `with taken as (
         delete from parked_inputs where waiting_for && $1::text[] and ($2::text[] is null or kind = any($2::text[])) returning *)
       select * from taken order by parked_at, arrival`,
      [[...new Set(keys)], kinds === undefined ? null : [...kinds]],
    );
    return rows.map((r) => toParked<P>(r));
  }

  /** Up to `limit` parked inputs after `after`, in `(parked_at, id)` order. */
  async list<P = unknown>(em: EntityManager, filter: { kind?: string | readonly string[]; after?: ParkedPosition; limit: number }): Promise<ParkedInput<P>[]> {
    const kinds = filter.kind === undefined ? null : typeof filter.kind === 'string' ? [filter.kind] : [...filter.kind];
    const rows: Row[] = await em.query(
      `select * from parked_inputs
        where ($1::text[] is null or kind = any($1::text[]))
          and ($2::timestamptz is null or (parked_at, id) > ($2::timestamptz, $3::uuid))
        order by parked_at, id limit $4`,
      [kinds, filter.after?.parkedAt ?? null, filter.after?.id ?? null, filter.limit],
    );
    return rows.map((r) => toParked<P>(r));
  }

  /** How many inputs of each kind wait, and the oldest's parking time (for metrics and health). */
  async stats(em: EntityManager): Promise<ParkingStats[]> {
    const rows: { kind: string; count: number; oldest: Date }[] = await em.query(
      'select kind, count(*)::int as count, min(parked_at) as oldest from parked_inputs group by kind order by kind',
    );
    return rows.map((r) => ({ kind: r.kind, count: r.count, oldestParkedAt: r.oldest.toISOString() }));
  }

  /**
   * Dead-letters a parked input that was taken out, in the caller's transaction, with `reason`: its
   * message verbatim (so a replay from `/api/v1/dead-letters` re-reads it) to `dead_letters` and
   * the DLQ topic. An input parked without its message (e.g. before the service kept them)
   * becomes a letter of its own: its payload as the value, `ce_id`/`ce_type` of the original
   * event, and the offset -1.
   */
  async deadLetter(em: EntityManager, parked: ParkedInput<any>, reason: string): Promise<void> {
    const message: RawMessage = parked.message ?? {
      topic: parked.topic ?? `parked.${parked.kind}`,
      partition: -1,
      offset: '-1',
      key: parked.waitingFor[0] ?? parked.inputKey,
      headers: {
        ...(parked.eventId ? { ce_id: parked.eventId } : {}),
        ...(parked.eventType ? { ce_type: parked.eventType } : {}),
        'postrade-parked-kind': parked.kind,
        'postrade-parked-key': parked.inputKey,
      },
      value: JSON.stringify(parked.payload),
    };
    await deadLetterInTransaction(em, this.options.outbox, {
      consumer: parked.consumer ?? this.options.consumer,
      dlqTopic: this.options.dlqTopic,
      message,
      error: reason,
      attempts: 1,
    });
  }

  /**
   * Moves every input whose wait is over to the dead letters, `chunk` at a time, each chunk in one
   * transaction: taken out of the lot, dead-lettered with the reason (`expiryReason`), and the
   * kind's expiry hook run, all committed together or not at all. Returns how many expired.
   */
  async expireDue(dataSource: DataSource, options: { now?: Date; chunk?: number } = {}): Promise<number> {
    const transactions = new TransactionRunner(dataSource);
    const chunk = options.chunk ?? EXPIRY_CHUNK;
    let total = 0;
    for (;;) {
      const expired = await transactions.run(async (em) => {
        // Of two sweeps deleting the same rows, the second waits on the first's delete and then
        // finds them gone: each input is dead-lettered once.
        const rows: Row[] = await em.query(
          `with expired as (
             delete from parked_inputs where id in (
               select id from parked_inputs where expires_at <= coalesce($1::timestamptz, now()) order by expires_at, id limit $2)
             returning *)
           select * from expired order by expires_at, id`,
          [options.now?.toISOString() ?? null, chunk],
        );
        for (const parked of rows.map((r) => toParked(r))) {
          const reason = expiryReason(parked);
          await this.deadLetter(em, parked, reason);
          const hook = this.hooks.get(parked.kind);
          if (hook) await hook(em, parked, reason);
          log.warn({ kind: parked.kind, inputKey: parked.inputKey, waitingFor: parked.waitingFor }, reason);
        }
        return rows.length;
      });
      total += expired;
      if (expired < chunk) return total;
    }
  }
}

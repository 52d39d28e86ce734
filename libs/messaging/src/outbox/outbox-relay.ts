import { SpanKind } from '@opentelemetry/api';
import { Client } from 'pg';
import { sessionOptions } from '@postrade/persistence';
import { createLogger, parseTraceContext, readEnv, runInSpan, startSpan, tracingExports, type EnvSource } from '@postrade/platform';
import type { EventPublisher } from '../kafka/event-publisher';
import { messagingMetrics } from '../messaging-metrics';
import { withTimeout } from '../timeouts';
import { headersOf, type OutboxRow } from './outbox';

export type { OutboxRow } from './outbox';

export interface OutboxRelayOptions {
  /** Connection string of the service's runtime role (the relay holds one dedicated connection). */
  databaseUrl: string;
  schema: string;
  /** Rows published per Kafka send (`OUTBOX_RELAY_BATCH`, default 1000). */
  batchSize?: number;
  /** Most bytes (payloads, keys, headers) per Kafka send (`OUTBOX_RELAY_MAX_BYTES`, default 512 KiB); see {@link withinBytes}. */
  maxBytes?: number;
  /** Poll interval right after activity; it doubles while idle up to `maxPollMs`. */
  minPollMs?: number;
  /** Longest idle poll interval (`OUTBOX_RELAY_MAX_POLL_MS`, default 1000): the latency bound for events committed by another replica. */
  maxPollMs?: number;
  /** Longest wait between attempts while the database or the broker is away. */
  maxBackoffMs?: number;
  /** Test seam: called with the rows about to be published, before the send. */
  beforePublish?: (rows: OutboxRow[]) => Promise<void> | void;
}

export interface RelayHealth {
  ok: boolean;
  leader: boolean;
  error?: string;
  since?: string;
  /** Rows this relay parked since it started (too large for the broker), with their reason. */
  parked: ParkedRow[];
}

/** An outbox row the broker refused for good, set aside so that the rows behind it flow. */
export interface ParkedRow {
  position: string;
  eventId: string;
  topic: string;
  key: string;
  reason: string;
  parkedAt: string;
}

/** Kafka's answers for a record the broker will never take, whatever the retries. */
const TOO_LARGE = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE']);

/** True when `err` (or an error it wraps) is the broker refusing a record as too large. */
export function isTooLargeForBroker(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 6; depth++) {
    const { type, cause, originalError } = e as { type?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof type === 'string' && TOO_LARGE.has(type)) return true;
    e = cause ?? originalError;
  }
  return false;
}

const log = createLogger('outbox-relay');

/**
 * Publishes a schema's outbox rows in position order, in batches, and marks them sent.
 *
 * - One relay per schema publishes at a time: the leader holds a session advisory lock on its own
 *   connection; others stand by and take over when the leader's session ends (crash, SIGKILL,
 *   network loss). With the Outbox locking rule this keeps each aggregate's events in order. It
 *   never skips rows (no `SKIP LOCKED`), and needs no row locks: the leader lock is the exclusion,
 *   so no transaction stays open while Kafka is slow or away.
 * - Woken in process right after a commit that wrote outbox rows; otherwise it polls adaptively
 *   (`minPollMs` after activity, doubling to `maxPollMs` when idle).
 * - Database or broker away: it keeps retrying with backoff (capped at `maxBackoffMs`), reports
 *   not healthy meanwhile, and resumes where it stopped. Delivery is at-least-once: a crash between
 *   send and mark re-sends, and consumers dedupe by ce_id.
 */
export class OutboxRelay {
  private client?: Client;
  private running = false;
  private leader = false;
  private loop?: Promise<void>;
  private wakeUp?: () => void;
  private woken = false;
  private failure?: { error: string; since: string };
  private pass = 0;
  private drainedWaiters: { afterPass: number; resolve: () => void }[] = [];
  private readonly batchSize: number;
  private readonly maxBytes: number;
  private readonly parked: ParkedRow[] = [];
  private readonly maxPollMs: number;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {
    const config = outboxRelayConfigFromEnv();
    this.batchSize = options.batchSize ?? config.batchSize;
    this.maxBytes = options.maxBytes ?? config.maxBytes;
    this.maxPollMs = options.maxPollMs ?? config.maxPollMs;
    if (!(this.batchSize >= 1)) throw new Error(`outbox relay batch size must be at least 1, not ${this.batchSize}`);
    messagingMetrics.relayLeader.set({ schema: options.schema }, 0);
  }

  /** Starts the relay loop; it does not wait for the database or the broker to answer. */
  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  health(): RelayHealth {
    return { ok: !this.failure, leader: this.leader, ...(this.failure ?? {}), parked: [...this.parked] };
  }

  /** Publish now (a commit just wrote outbox rows). */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  /** Resolves once everything committed before the call has been published (tests, shutdown). */
  flush(): Promise<void> {
    return new Promise((resolve) => {
      this.drainedWaiters.push({ afterPass: this.pass, resolve });
      this.wake();
    });
  }

  private async run(): Promise<void> {
    const minPoll = this.options.minPollMs ?? 20;
    const maxPoll = this.maxPollMs;
    const maxBackoff = this.options.maxBackoffMs ?? 5_000;
    let interval = minPoll;
    let backoff = 200;
    while (this.running) {
      const pass = ++this.pass;
      try {
        const published = await this.publishAvailable();
        if (this.failure) log.info({ schema: this.options.schema, down: this.failure }, 'outbox relay resumed');
        this.failure = undefined;
        backoff = 200;
        if (this.leader) this.resolveDrained(pass);
        interval = published > 0 ? minPoll : Math.min(maxPoll, interval * 2);
        await this.sleep(this.leader ? interval : maxPoll);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        if (!this.failure) {
          this.failure = { error, since: new Date().toISOString() };
          log.warn({ schema: this.options.schema, err: error }, 'outbox relay cannot publish; retrying');
        } else this.failure.error = error;
        await this.dropConnection();
        await this.sleep(backoff);
        backoff = Math.min(maxBackoff, backoff * 2);
      }
    }
  }

  private resolveDrained(pass: number): void {
    const ready = this.drainedWaiters.filter((w) => w.afterPass < pass);
    this.drainedWaiters = this.drainedWaiters.filter((w) => w.afterPass >= pass);
    for (const w of ready) w.resolve();
  }

  private async sleep(ms: number): Promise<void> {
    if (this.woken || !this.running) {
      this.woken = false;
      return;
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wakeUp = undefined;
    this.woken = false;
  }

  private async connection(): Promise<Client> {
    if (this.client) return this.client;
    const client = new Client({
      connectionString: this.options.databaseUrl,
      application_name: `${this.options.schema}-outbox-relay`,
      options: sessionOptions({ schema: this.options.schema }),
      connectionTimeoutMillis: 5_000,
    });
    client.on('error', (err) => {
      // The loop notices on its next query; here we only make sure it does not reuse the client.
      if (this.client === client) {
        this.client = undefined;
        this.setLeader(false);
      }
      log.debug({ err: err.message }, 'outbox relay connection lost');
    });
    await client.connect();
    this.client = client;
    return client;
  }

  private async dropConnection(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    this.setLeader(false);
    await client?.end().catch(() => undefined);
  }

  /**
   * Publishes everything unsent, batch after batch, until a batch comes back short. While Kafka
   * acknowledges one batch the next is read (the rows in flight excluded: they are still unsent in
   * the table), so the database read and the broker round trip overlap. This keeps per-aggregate
   * order by the Outbox locking rule: a row read later can never be an earlier event of an
   * aggregate whose later event is already in flight. A failed send drops the read-ahead batch;
   * the next pass reads from the first unsent row again.
   */
  private async publishAvailable(): Promise<number> {
    const client = await this.connection();
    if (!this.leader) {
      const { rows } = await client.query('select pg_try_advisory_lock(hashtext($1)) as ok', [`${this.options.schema}.outbox-relay`]);
      this.setLeader(rows[0].ok === true);
      if (!this.leader) return 0;
      log.info({ schema: this.options.schema }, 'outbox relay is the leader for its schema');
    }
    let published = 0;
    let marking: Promise<unknown> = Promise.resolve();
    let read = await this.unsent(client, []);
    try {
      while (read.length > 0 && this.running) {
        const batch = withinBytes(read, this.maxBytes);
        await this.options.beforePublish?.(batch);
        const positions = batch.map((r) => r.position);
        const sending = this.send(batch);
        // Queued on the same connection after the previous batch's mark, so only this batch's rows
        // can still look unsent to it.
        const readAhead = read.length === this.batchSize || batch.length < read.length ? this.unsent(client, positions) : Promise.resolve([]);
        readAhead.catch(() => undefined); // if the send fails first, this result is dropped
        try {
          await sending;
        } catch (err) {
          if (!isTooLargeForBroker(err)) throw err;
          // The broker will never take (one of) these rows: send them one by one, park the ones it
          // refuses, and go on from the first unsent row again.
          await readAhead.catch(() => undefined);
          await marking;
          marking = Promise.resolve();
          published += await this.sendOneByOne(client, batch);
          read = await this.unsent(client, []);
          continue;
        }
        await marking;
        // Marked while the next batch is on its way to Kafka; a crash before the mark re-sends.
        marking = client.query('update outbox set sent_at = now() where position = any($1::bigint[])', [positions]);
        marking.catch(() => undefined); // awaited below or on the next turn
        messagingMetrics.published.inc({ schema: this.options.schema }, batch.length);
        published += batch.length;
        read = await readAhead;
      }
    } finally {
      await marking;
    }
    return published;
  }

  /**
   * Sends each row alone; a row the broker refuses as too large is parked with the broker's reason
   * (it is not retried: no retry makes it smaller), the others are marked sent. Any other failure
   * is thrown, as for a batch.
   */
  private async sendOneByOne(client: Client, rows: OutboxRow[]): Promise<number> {
    let sent = 0;
    for (const row of rows) {
      try {
        await this.send([row]);
      } catch (err) {
        if (!isTooLargeForBroker(err)) throw err;
        const reason = `refused by the broker as too large (${Buffer.byteLength(row.payload)} bytes of payload): ${err instanceof Error ? err.message : String(err)}`;
        await client.query('update outbox set parked_at = now(), parked_reason = $2 where position = $1', [row.position, reason]);
        const parked: ParkedRow = { position: row.position, eventId: row.event_id, topic: row.topic, key: row.message_key, reason, parkedAt: new Date().toISOString() };
        this.parked.push(parked);
        messagingMetrics.parked.inc({ schema: this.options.schema, topic: row.topic });
        log.error({ schema: this.options.schema, ...parked, eventType: row.event_type }, 'outbox row parked: the broker refuses it; the rows behind it go on');
        continue;
      }
      await client.query('update outbox set sent_at = now() where position = $1', [row.position]);
      messagingMetrics.published.inc({ schema: this.options.schema });
      sent++;
    }
    return sent;
  }

  /**
   * Sends rows to Kafka, each with its event's trace context in its headers. With span export on,
   * the send is a span of its own, linked to the span that wrote each row (a send carries events of
   * many traces, so it is the child of none).
   */
  private send(rows: OutboxRow[]): Promise<void> {
    const messages = rows.map((r) => ({ topic: r.topic, key: r.message_key, value: r.payload, headers: headersOf(r) }));
    if (!tracingExports()) return this.publisher.send(messages);
    const span = startSpan({
      name: 'send',
      kind: SpanKind.PRODUCER,
      links: rows.flatMap((r) => {
        const written = parseTraceContext(r.traceparent ?? undefined, r.tracestate ?? undefined);
        return written ? [written] : [];
      }),
      attributes: { 'messaging.system': 'kafka', 'messaging.operation.type': 'send', 'messaging.batch.message_count': rows.length, 'postrade.outbox.schema': this.options.schema },
    });
    return runInSpan(span, () => this.publisher.send(messages));
  }

  private setLeader(leader: boolean): void {
    this.leader = leader;
    messagingMetrics.relayLeader.set({ schema: this.options.schema }, leader ? 1 : 0);
  }

  private async unsent(client: Client, inFlight: string[]): Promise<OutboxRow[]> {
    const { rows } = await client.query<OutboxRow>(
      `select position, event_id, topic, message_key, event_type, headers, source, event_time, subject, correlation_id, causation_id, traceparent, tracestate, payload
         from outbox where sent_at is null and parked_at is null and not (position = any($2::bigint[])) order by position limit $1`,
      [this.batchSize, inFlight],
    );
    return rows;
  }

  /**
   * Stops: publishes what is committed if the database and broker answer within `timeoutMs`,
   * then closes its connection either way (whatever is left stays in the outbox for next time).
   */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.running) return;
    const deadline = Date.now() + timeoutMs;
    if (!this.failure) await withTimeout(this.flush(), timeoutMs);
    this.running = false;
    this.wake();
    await withTimeout(this.loop, deadline - Date.now());
    await this.dropConnection();
    await withTimeout(this.publisher.disconnect(), 1_000);
    for (const w of this.drainedWaiters.splice(0)) w.resolve();
  }
}

/** The relay's settings from the environment, each checked (a zero batch size is refused at start). */
export function outboxRelayConfigFromEnv(source: EnvSource = process.env): { batchSize: number; maxBytes: number; maxPollMs: number } {
  return readEnv(source, (env) => ({
    batchSize: env.integer('OUTBOX_RELAY_BATCH', { default: 1000, min: 1, max: 100_000 }),
    maxBytes: env.integer('OUTBOX_RELAY_MAX_BYTES', { default: 512 * 1024, min: 1024 }),
    maxPollMs: env.integer('OUTBOX_RELAY_MAX_POLL_MS', { default: 1000, min: 10, max: 600_000 }),
  }));
}

/**
 * The leading rows of `rows` whose bytes fit in `maxBytes` (always at least one). Kafka refuses a
 * produce request whose record batch for a partition exceeds the broker's `message.max.bytes`
 * (1 MiB by default) and the relay would retry that same oversized send forever: a burst of large
 * events (decisions with many alerts) wedged a service's outbox that way. The rows left over go
 * in the next send, in order.
 */
export function withinBytes<T extends Pick<OutboxRow, 'payload' | 'message_key'>>(rows: readonly T[], maxBytes: number): T[] {
  let bytes = 0;
  let taken = 0;
  for (const row of rows) {
    // Headers are a few hundred bytes of CloudEvents attributes; counted generously.
    bytes += Buffer.byteLength(row.payload) + Buffer.byteLength(row.message_key ?? '') + 512;
    if (taken > 0 && bytes > maxBytes) break;
    taken++;
  }
  return rows.slice(0, taken);
}

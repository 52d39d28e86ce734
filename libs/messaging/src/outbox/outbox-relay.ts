import { Client } from 'pg';
import { createLogger } from '@postrade/platform';
import type { EventPublisher, OutgoingMessage } from '../kafka/event-publisher';
import { outboxChannel } from './outbox';
import { messagingMetrics } from '../messaging-metrics';

export interface OutboxRelayOptions {
  /** Connection string of the service role (the relay holds one dedicated connection). */
  databaseUrl: string;
  schema: string;
  batchSize?: number;
  /** Safety net when a notification is missed (e.g. reconnect); not the normal wake-up path. */
  idleCheckMs?: number;
  /** Test seam: called with the rows about to be published, before the send. */
  beforePublish?: (rows: OutboxRow[]) => Promise<void> | void;
}

export interface OutboxRow {
  position: string;
  event_id: string;
  topic: string;
  message_key: string;
  event_type: string;
  headers: Record<string, string>;
  payload: string;
}

const log = createLogger('outbox-relay');

/**
 * Publishes outbox rows in commit order and marks them sent. One relay per schema is active at a
 * time (a session advisory lock), so rows of one aggregate are never published out of order by
 * two replicas. It wakes on NOTIFY rather than polling. Delivery is at-least-once: a crash between
 * send and mark re-sends, and consumers dedupe by ce_id.
 */
export class OutboxRelay {
  private client?: Client;
  private running = false;
  private leader = false;
  private draining?: Promise<void>;
  private again = false;
  private timer?: NodeJS.Timeout;
  private readonly batchSize: number;

  constructor(
    private readonly publisher: EventPublisher,
    private readonly options: OutboxRelayOptions,
  ) {
    this.batchSize = options.batchSize ?? 500;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.running = true;
    await this.publisher.connect();
    await this.connect();
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.options.databaseUrl, application_name: `${this.options.schema}-outbox-relay` });
    client.on('error', (err) => {
      log.warn({ err: err.message }, 'outbox relay connection lost; reconnecting');
      this.leader = false;
      this.client = undefined;
      if (this.running) setTimeout(() => this.connect().catch((e) => log.error({ err: String(e) }, 'relay reconnect failed')), 1000).unref();
    });
    await client.connect();
    this.client = client;
    client.on('notification', () => this.wake());
    await client.query(`listen ${outboxChannel(this.options.schema)}`);
    this.schedule();
    this.wake();
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.wake();
      this.schedule();
    }, this.options.idleCheckMs ?? 5000);
    this.timer.unref();
  }

  /** Drains now; a wake-up during a drain makes one more pass after it (serialised sends). */
  wake(): void {
    if (!this.running) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drainLoop().finally(() => (this.draining = undefined));
  }

  /** Resolves once everything committed so far has been published (used by tests and shutdown). */
  async flush(): Promise<void> {
    while (this.draining) await this.draining;
    this.wake();
    while (this.draining) await this.draining;
  }

  private async drainLoop(): Promise<void> {
    do {
      this.again = false;
      try {
        while (this.running && (await this.publishBatch()) === this.batchSize);
      } catch (err) {
        log.error({ err: err instanceof Error ? err.message : String(err) }, 'outbox publish failed; will retry');
        await new Promise((r) => setTimeout(r, 500));
        this.again = this.running;
      }
    } while (this.again && this.running);
  }

  private async publishBatch(): Promise<number> {
    const client = this.client;
    if (!client) return 0;
    if (!this.leader) {
      const { rows } = await client.query('select pg_try_advisory_lock(hashtext($1)) as ok', [`${this.options.schema}.outbox-relay`]);
      this.leader = rows[0].ok === true;
      if (!this.leader) return 0;
    }
    await client.query('begin');
    try {
      const { rows } = await client.query<OutboxRow>(
        `select position, event_id, topic, message_key, event_type, headers, payload
           from outbox where sent_at is null order by position limit $1 for update`,
        [this.batchSize],
      );
      if (rows.length > 0) {
        await this.options.beforePublish?.(rows);
        const messages: OutgoingMessage[] = rows.map((r) => ({
          topic: r.topic,
          key: r.message_key,
          value: r.payload,
          headers: r.headers,
        }));
        await this.publisher.send(messages);
        await client.query('update outbox set sent_at = now() where position = any($1::bigint[])', [rows.map((r) => r.position)]);
        messagingMetrics.published.inc({ schema: this.options.schema }, rows.length);
      }
      await client.query('commit');
      return rows.length;
    } catch (err) {
      await client.query('rollback').catch(() => undefined);
      throw err;
    }
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    await this.flush().catch(() => undefined);
    this.running = false;
    clearTimeout(this.timer);
    await this.client?.end().catch(() => undefined);
    this.client = undefined;
    this.leader = false;
    await this.publisher.disconnect();
  }
}

import type { DataSource, EntityManager } from 'typeorm';
import { DlqHeaders } from '@postrade/contracts';
import type { RawMessage } from '../consumer/consumed-event';
import type { Outbox } from '../outbox/outbox';

export interface DeadLetter {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: Record<string, string>;
  payload: string;
  error: string;
  attempts: number;
  status: 'PENDING' | 'REPLAYED';
  createdAt: string;
  replayedAt: string | null;
  replayError: string | null;
}

interface Row {
  id: string;
  consumer: string;
  topic: string;
  partition: number;
  offset: string;
  message_key: string | null;
  headers: Record<string, string>;
  payload: string;
  error: string;
  attempts: number;
  status: 'PENDING' | 'REPLAYED';
  created_at: Date;
  replayed_at: Date | null;
  replay_error: string | null;
}

function toDeadLetter(r: Row): DeadLetter {
  return {
    id: r.id,
    consumer: r.consumer,
    topic: r.topic,
    partition: r.partition,
    offset: String(r.offset),
    key: r.message_key,
    headers: r.headers,
    payload: r.payload,
    error: r.error,
    attempts: r.attempts,
    status: r.status,
    createdAt: r.created_at.toISOString(),
    replayedAt: r.replayed_at?.toISOString() ?? null,
    replayError: r.replay_error,
  };
}

/**
 * Records a dead letter in the consuming transaction. Returns false when this message (consumer,
 * topic, partition, offset, and the digest of its key, ce_id and value — a recreated topic reuses
 * offsets) is already a pending dead letter, so the caller does not publish a second DLQ copy. A message dead-lettered again after a replay (its letter REPLAYED) reopens that
 * letter, with the new error, so it is never left without a trace; it gets no second DLQ copy.
 */
export async function recordDeadLetter(em: EntityManager, consumer: string, message: RawMessage, error: string, attempts: number): Promise<boolean> {
  const rows: { inserted: boolean }[] = await em.query(
    `insert into dead_letters (consumer, topic, partition, "offset", message_key, headers, payload, error, attempts)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
     on conflict (consumer, topic, partition, "offset", message_digest) do update
       set status = 'PENDING', error = excluded.error, replayed_at = null, attempts = dead_letters.attempts + 1
       where dead_letters.status = 'REPLAYED'
     returning (xmax = 0) as inserted`,
    [consumer, message.topic, message.partition, message.offset, message.key, JSON.stringify(message.headers), message.value, error, attempts],
  );
  return rows[0]?.inserted === true;
}

export interface DeadLetterOrder {
  consumer: string;
  dlqTopic: string;
  message: RawMessage;
  error: string;
  attempts: number;
}

/**
 * Dead-letters a message inside the caller's transaction: the `dead_letters` row (listed and
 * replayed by operations) and its copy for the DLQ topic, through the outbox, with the `dlq_*`
 * headers. Both commit with the caller's work, and a message dead-lettered before is not copied
 * again, so a retried transaction never puts a second copy on the DLQ topic.
 */
export async function deadLetterInTransaction(em: EntityManager, outbox: Outbox, order: DeadLetterOrder): Promise<void> {
  const { consumer, dlqTopic, message, error, attempts } = order;
  if (!(await recordDeadLetter(em, consumer, message, error, attempts))) return;
  await outbox.addRaw(em, [
    {
      topic: dlqTopic,
      key: message.key,
      value: message.value,
      headers: {
        ...message.headers,
        [DlqHeaders.originalTopic]: message.topic,
        [DlqHeaders.originalPartition]: String(message.partition),
        [DlqHeaders.originalOffset]: message.offset,
        [DlqHeaders.error]: error.slice(0, 2000),
        [DlqHeaders.attempts]: String(attempts),
        [DlqHeaders.failedAt]: new Date().toISOString(),
        [DlqHeaders.consumerGroup]: consumer,
      },
    },
  ]);
}

/** The service's own record of what it dead-lettered, for listing and replay from its REST API. */
export class DeadLetterStore {
  constructor(private readonly dataSource: DataSource) {}

  async list(filter: { status?: string; limit: number; after?: { createdAt: string; id: string } }): Promise<DeadLetter[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.status) {
      params.push(filter.status);
      where.push(`status = $${params.length}`);
    }
    if (filter.after) {
      params.push(filter.after.createdAt, filter.after.id);
      where.push(`(created_at, id) > ($${params.length - 1}::timestamptz, $${params.length}::uuid)`);
    }
    params.push(filter.limit);
    const rows: Row[] = await this.dataSource.query(
      `select * from dead_letters ${where.length ? `where ${where.join(' and ')}` : ''}
       order by created_at, id limit $${params.length}`,
      params,
    );
    return rows.map(toDeadLetter);
  }

  async get(id: string): Promise<DeadLetter | undefined> {
    const rows: Row[] = await this.dataSource.query('select * from dead_letters where id = $1', [id]);
    return rows[0] ? toDeadLetter(rows[0]) : undefined;
  }

  async markReplayed(id: string): Promise<void> {
    await this.dataSource.query(`update dead_letters set status = 'REPLAYED', replayed_at = now(), replay_error = null where id = $1`, [id]);
  }

  async markReplayFailed(id: string, error: string): Promise<void> {
    await this.dataSource.query('update dead_letters set replay_error = $2, attempts = attempts + 1 where id = $1', [id, error]);
  }
}

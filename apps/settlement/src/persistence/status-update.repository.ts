import type { EntityManager } from 'typeorm';
import type { StatusUpdate } from '../domain/instruction-status';

/** A Kafka status update waiting for its instruction. */
export interface ParkedStatusUpdate {
  instructionId: string;
  update: StatusUpdate;
  eventId: string | null;
  parkedAt: string;
  expiresAt: string;
  expired: boolean;
}

type ParkedRow = Record<string, any>;

function toParked(row: ParkedRow): ParkedStatusUpdate {
  const update: StatusUpdate = { updateId: row.update_id, status: row.status };
  if (row.settled_quantity !== null) update.settledQuantity = row.settled_quantity;
  if (row.settled_amount !== null) update.settledAmount = row.settled_amount;
  if (row.effective_date !== null) update.effectiveDate = row.effective_date;
  if (row.failing_party !== null) update.failingParty = row.failing_party;
  if (row.reason_code !== null) update.reasonCode = row.reason_code;
  return { instructionId: row.instruction_id, update, eventId: row.event_id, parkedAt: row.parked_at, expiresAt: row.expires_at, expired: row.expired };
}

const PARKED_SELECT = `select instruction_id, update_id, status, settled_quantity::text, settled_amount::text,
  to_char(effective_date, 'YYYY-MM-DD') as effective_date, failing_party, reason_code, event_id,
  to_char(parked_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as parked_at,
  to_char(expires_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as expires_at, expired from parked_status_updates`;

/** One update id of one instruction, as a map key. */
export const statusUpdateKey = (instructionId: string, updateId: string): string => `${instructionId.toLowerCase()} ${updateId}`;

/** Code-point order, the same in every process (no locale): the order rows are written in. */
const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Applied custodian updates (by id, for idempotency) and the updates parked for an unknown instruction. */
export class StatusUpdateRepository {
  /**
   * Records the update id for the instruction. Returns null when this transaction recorded it
   * first; otherwise the content hash it was first recorded with (a replay, or a reused id).
   */
  async claim(em: EntityManager, instructionId: string, update: StatusUpdate, contentHash: string): Promise<{ contentHash: string } | null> {
    const rows: { content_hash: string; claimed: boolean }[] = await em.query(
      `with claimed as (
         insert into status_updates (instruction_id, update_id, content_hash, status) values ($1, $2, $3, $4)
         on conflict (instruction_id, update_id) do nothing returning content_hash)
       select content_hash, true as claimed from claimed
       union all
       select content_hash, false from status_updates where instruction_id = $1 and update_id = $2 and not exists (select 1 from claimed)`,
      [instructionId, update.updateId, contentHash, update.status],
    );
    const row = rows[0];
    return row.claimed ? null : { contentHash: row.content_hash };
  }

  /**
   * Records several update ids in one statement, each for its instruction (the first of a pair
   * given twice is the one recorded), and returns the content hash of every pair that was recorded
   * before this statement, by `statusUpdateKey`: those are replays, or reused ids. The caller holds
   * the instructions' row locks, so no other transaction records the same pairs meanwhile.
   */
  async claimMany(em: EntityManager, claims: readonly { instructionId: string; update: StatusUpdate; contentHash: string }[]): Promise<Map<string, string>> {
    if (claims.length === 0) return new Map();
    const rows: { instruction_id: string; update_id: string; content_hash: string }[] = await em.query(
      `with input as (
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[]) with ordinality as u (instruction_id, update_id, content_hash, status, ord)),
       claimed as (
         insert into status_updates (instruction_id, update_id, content_hash, status)
         select instruction_id, update_id, content_hash, status from input order by ord
         on conflict (instruction_id, update_id) do nothing)
       -- what "claimed" inserts is not in the statement snapshot: these rows were there before
       select s.instruction_id::text, s.update_id, s.content_hash from status_updates s
        where (s.instruction_id, s.update_id) in (select instruction_id, update_id from input)`,
      [claims.map((c) => c.instructionId), claims.map((c) => c.update.updateId), claims.map((c) => c.contentHash), claims.map((c) => c.update.status)],
    );
    return new Map(rows.map((row) => [statusUpdateKey(row.instruction_id, row.update_id), row.content_hash]));
  }

  /**
   * Parks several updates in one statement, as `park` each. Rows go in key order, so that two
   * transactions parking the same updates in other orders cannot deadlock on the key.
   */
  async parkMany(em: EntityManager, parked: readonly { instructionId: string; update: StatusUpdate; eventId: string | null }[], expiresAt: Date): Promise<void> {
    const first = new Map<string, (typeof parked)[number]>();
    for (const p of parked) if (!first.has(statusUpdateKey(p.instructionId, p.update.updateId))) first.set(statusUpdateKey(p.instructionId, p.update.updateId), p);
    const rows = [...first.values()].sort((a, b) => compare(a.instructionId, b.instructionId) || compare(a.update.updateId, b.update.updateId));
    if (rows.length === 0) return;
    const column = <T>(value: (p: (typeof rows)[number]) => T) => rows.map(value);
    await em.query(
      `insert into parked_status_updates (instruction_id, update_id, status, settled_quantity, settled_amount, effective_date, failing_party, reason_code, event_id, expires_at)
       select instruction_id, update_id, status, settled_quantity, settled_amount, effective_date, failing_party, reason_code, event_id, $10
         from unnest($1::uuid[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::date[], $7::text[], $8::text[], $9::uuid[])
              with ordinality as p (instruction_id, update_id, status, settled_quantity, settled_amount, effective_date, failing_party, reason_code, event_id, ord)
        order by ord
       on conflict (instruction_id, update_id) do nothing`,
      [
        column((p) => p.instructionId), column((p) => p.update.updateId), column((p) => p.update.status), column((p) => p.update.settledQuantity ?? null),
        column((p) => p.update.settledAmount ?? null), column((p) => p.update.effectiveDate ?? null), column((p) => p.update.failingParty ?? null),
        column((p) => p.update.reasonCode ?? null), column((p) => p.eventId), expiresAt,
      ],
    );
  }

  /** Parks an update; the same update parked twice stays one row (Kafka re-delivers). */
  async park(em: EntityManager, instructionId: string, update: StatusUpdate, eventId: string | null, expiresAt: Date): Promise<void> {
    await em.query(
      `insert into parked_status_updates (instruction_id, update_id, status, settled_quantity, settled_amount, effective_date, failing_party, reason_code, event_id, expires_at)
       values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
       on conflict (instruction_id, update_id) do nothing`,
      [
        instructionId, update.updateId, update.status, update.settledQuantity ?? null, update.settledAmount ?? null, update.effectiveDate ?? null,
        update.failingParty ?? null, update.reasonCode ?? null, eventId, expiresAt,
      ],
    );
  }

  /** Removes and returns the live updates parked for these instructions, each instruction's oldest first. */
  async unpark(em: EntityManager, instructionIds: readonly string[]): Promise<ParkedStatusUpdate[]> {
    if (instructionIds.length === 0) return [];
    const rows: ParkedRow[] = await em.query(
      `with released as (delete from parked_status_updates where instruction_id = any($1::uuid[]) and not expired returning *)
       select instruction_id, update_id, status, settled_quantity::text, settled_amount::text, to_char(effective_date, 'YYYY-MM-DD') as effective_date,
         failing_party, reason_code, event_id, parked_at::text, expires_at::text, expired from released order by instruction_id, parked_at, update_id`,
      [[...new Set(instructionIds)]],
    );
    return rows.map(toParked);
  }

  async listParked(em: EntityManager, filter: { expired?: boolean; after?: { parkedAt: string; updateId: string }; limit: number }): Promise<ParkedStatusUpdate[]> {
    const params: unknown[] = [filter.limit];
    const where: string[] = [];
    if (filter.expired !== undefined) {
      params.push(filter.expired);
      where.push(`expired = $${params.length}`);
    }
    if (filter.after) {
      params.push(filter.after.parkedAt, filter.after.updateId);
      where.push(`(parked_at, update_id) > ($${params.length - 1}::timestamptz, $${params.length})`);
    }
    const rows: ParkedRow[] = await em.query(`${PARKED_SELECT} ${where.length ? `where ${where.join(' and ')}` : ''} order by parked_at, update_id limit $1`, params);
    return rows.map(toParked);
  }

  /** Parked updates past their expiry stop waiting: they stay visible as EXPIRED until retention removes them. */
  async expire(em: EntityManager, now: Date): Promise<number> {
    const rows: unknown[] = await em.query('with e as (update parked_status_updates set expired = true where not expired and expires_at <= $1 returning 1) select * from e', [now]);
    return rows.length;
  }

  async deleteExpiredBefore(em: EntityManager, before: Date): Promise<number> {
    const rows: unknown[] = await em.query('with d as (delete from parked_status_updates where expired and expires_at < $1 returning 1) select * from d', [before]);
    return rows.length;
  }

  async deleteAppliedBefore(em: EntityManager, before: Date): Promise<number> {
    const rows: unknown[] = await em.query('with d as (delete from status_updates where received_at < $1 returning 1) select * from d', [before]);
    return rows.length;
  }
}

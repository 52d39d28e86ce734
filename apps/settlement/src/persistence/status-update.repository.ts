import type { EntityManager } from 'typeorm';
import type { StatusUpdate } from '../domain/instruction-status';

/** One update id of one instruction, as a map key. */
export const statusUpdateKey = (instructionId: string, updateId: string): string => `${instructionId.toLowerCase()} ${updateId}`;

/** Applied custodian updates (by id, for idempotency). Updates for an unknown instruction wait in the shared parking lot. */
export class StatusUpdateRepository {
  /**
   * Records the update id for the instruction. Returns null when this transaction recorded it
   * first; otherwise the content hash it was first recorded with (a replay, or a reused id).
   */
  async claim(em: EntityManager, instructionId: string, update: StatusUpdate, contentHash: string, sentBy: string | null = null): Promise<{ contentHash: string } | null> {
    const rows: { content_hash: string; claimed: boolean }[] = await em.query(
      `with claimed as (
         insert into status_updates (instruction_id, update_id, content_hash, status, sent_by) values ($1, $2, $3, $4, $5)
         on conflict (instruction_id, update_id) do nothing returning content_hash)
       select content_hash, true as claimed from claimed
       union all
       select content_hash, false from status_updates where instruction_id = $1 and update_id = $2 and not exists (select 1 from claimed)`,
      [instructionId, update.updateId, contentHash, update.status, sentBy],
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
  async claimMany(
    em: EntityManager,
    claims: readonly { instructionId: string; update: StatusUpdate; contentHash: string; sentBy?: string | null }[],
  ): Promise<Map<string, string>> {
    if (claims.length === 0) return new Map();
    const rows: { instruction_id: string; update_id: string; content_hash: string }[] = await em.query(
      `with input as (
         select * from unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) with ordinality as u (instruction_id, update_id, content_hash, status, sent_by, ord)),
       claimed as (
         insert into status_updates (instruction_id, update_id, content_hash, status, sent_by)
         select instruction_id, update_id, content_hash, status, sent_by from input order by ord
         on conflict (instruction_id, update_id) do nothing)
       -- what "claimed" inserts is not in the statement snapshot: these rows were there before
       select s.instruction_id::text, s.update_id, s.content_hash from status_updates s
        where (s.instruction_id, s.update_id) in (select instruction_id, update_id from input)`,
      [claims.map((c) => c.instructionId), claims.map((c) => c.update.updateId), claims.map((c) => c.contentHash), claims.map((c) => c.update.status), claims.map((c) => c.sentBy ?? null)],
    );
    return new Map(rows.map((row) => [statusUpdateKey(row.instruction_id, row.update_id), row.content_hash]));
  }
}

import type { EntityManager } from 'typeorm';
import type { AuditRecord } from '../domain/audit-chain';

interface Row {
  sequence: string;
  record_id: string;
  recorded_at: Date;
  actor: string;
  action: string;
  entity_type: string;
  entity_id: string;
  before: unknown;
  after: unknown;
  previous_hash: string;
  hash: string;
}

const toRecord = (r: Row): AuditRecord => ({
  recordId: r.record_id,
  sequence: Number(r.sequence),
  recordedAt: r.recorded_at.toISOString(),
  actor: r.actor,
  action: r.action,
  entityType: r.entity_type,
  entityId: r.entity_id,
  before: r.before,
  after: r.after,
  previousHash: r.previous_hash,
  hash: r.hash,
});

/** The append-only audit trail (the runtime role can only select and insert) and its chain head. */
export class AuditTrailRepository {
  /** The end of the chain, locked: appends are serialised through this one row. */
  async lockHead(em: EntityManager): Promise<{ sequence: number; hash: string }> {
    const rows: { last_sequence: string; last_hash: string }[] = await em.query('select last_sequence, last_hash from audit_chain_head for update');
    return { sequence: Number(rows[0].last_sequence), hash: rows[0].last_hash };
  }

  async append(em: EntityManager, records: readonly AuditRecord[]): Promise<void> {
    if (records.length === 0) return;
    await em.query(
      `insert into audit_records (sequence, record_id, recorded_at, actor, action, entity_type, entity_id, before, after, previous_hash, hash)
       select r.sequence, r."recordId", r."recordedAt", r.actor, r.action, r."entityType", r."entityId", r.before, r.after, r."previousHash", r.hash
       from jsonb_to_recordset($1::jsonb) as r(sequence bigint, "recordId" uuid, "recordedAt" timestamptz, actor text, action text,
         "entityType" text, "entityId" text, before jsonb, after jsonb, "previousHash" text, hash text)`,
      [JSON.stringify(records.map((r) => ({ ...r, before: r.before ?? null, after: r.after ?? null })))],
    );
    const last = records[records.length - 1];
    await em.query('update audit_chain_head set last_sequence = $1, last_hash = $2', [last.sequence, last.hash]);
  }

  /** Records in chain order after `afterSequence`. */
  async page(em: EntityManager, afterSequence: number, limit: number): Promise<AuditRecord[]> {
    const rows: Row[] = await em.query('select * from audit_records where sequence > $1 order by sequence limit $2', [afterSequence, limit]);
    return rows.map(toRecord);
  }

  async list(
    em: EntityManager,
    filter: { entityId?: string; from?: string; to?: string; afterSequence?: number; limit: number },
  ): Promise<AuditRecord[]> {
    const params: unknown[] = [];
    const where: string[] = [];
    if (filter.entityId) where.push(`entity_id = $${params.push(filter.entityId)}`);
    if (filter.from) where.push(`recorded_at >= $${params.push(filter.from)}::timestamptz`);
    if (filter.to) where.push(`recorded_at < $${params.push(filter.to)}::timestamptz`);
    if (filter.afterSequence !== undefined) where.push(`sequence > $${params.push(filter.afterSequence)}`);
    const rows: Row[] = await em.query(
      `select * from audit_records ${where.length ? `where ${where.join(' and ')}` : ''} order by sequence limit $${params.push(filter.limit)}`,
      params,
    );
    return rows.map(toRecord);
  }
}

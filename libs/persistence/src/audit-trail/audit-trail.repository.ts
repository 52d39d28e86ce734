import type { EntityManager } from 'typeorm';
import type { ChainHead } from '@postrade/kernel';
import { HashChainHeads } from '../hash-chain-heads';
import { AUDIT_GENESIS_HASH, type AuditRecord } from './audit-chain';

interface Row {
  sequence: string;
  chain_id: string;
  chain_sequence: string;
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
  chain: r.chain_id,
  chainSequence: Number(r.chain_sequence),
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

/**
 * The append-only audit trail (the runtime role can only select and insert) and the heads of its
 * chains: `audit_records`, `audit_chains` and the sequence `audit_records_sequence`, unqualified,
 * so each service reads and writes its own schema's (its search_path). A new service's migration
 * creates them with `createAuditTrailTables`; compliance's own two migrations made its.
 */
export class AuditTrailRepository {
  private readonly chains = new HashChainHeads('audit_chains', AUDIT_GENESIS_HASH);

  /** The end of one chain, locked: appends to that chain are serialised, appends to others are not. */
  lockChain(em: EntityManager, chain: string): Promise<ChainHead<string>> {
    return this.chains.lock(em, chain);
  }

  /** Every chain's head as committed now: what a verification checks up to. */
  chainHeads(em: EntityManager): Promise<ChainHead<string>[]> {
    return this.chains.all(em);
  }

  /**
   * The next `count` numbers of the trail's global order, ascending, from a Postgres sequence
   * (no row lock). Numbers drawn by a transaction that rolls back are skipped: the order has gaps,
   * the chains do not.
   */
  async nextSequences(em: EntityManager, count: number): Promise<number[]> {
    const rows: { sequence: string }[] = await em.query(`select nextval('audit_records_sequence') as sequence from generate_series(1, $1)`, [count]);
    return rows.map((r) => Number(r.sequence)).sort((a, b) => a - b);
  }

  /** Inserts records chained after the locked head of their chain and moves the head to the last of them. */
  async append(em: EntityManager, records: readonly AuditRecord[], head: ChainHead<string>): Promise<void> {
    if (records.length === 0) return;
    await em.query(
      `insert into audit_records (sequence, chain_id, chain_sequence, record_id, recorded_at, actor, action, entity_type, entity_id, before, after, previous_hash, hash)
       select r.sequence, r.chain, r."chainSequence", r."recordId", r."recordedAt", r.actor, r.action, r."entityType", r."entityId", r.before, r.after, r."previousHash", r.hash
       from jsonb_to_recordset($1::jsonb) as r(sequence bigint, chain text, "chainSequence" bigint, "recordId" uuid, "recordedAt" timestamptz, actor text, action text,
         "entityType" text, "entityId" text, before jsonb, after jsonb, "previousHash" text, hash text)`,
      [JSON.stringify(records.map((r) => ({ ...r, before: r.before ?? null, after: r.after ?? null })))],
    );
    await this.chains.advance(em, head);
  }

  /** One chain's records in chain order, with positions in (`after`, `through`]. */
  async chainPage(em: EntityManager, chain: string, after: number, through: number, limit: number): Promise<AuditRecord[]> {
    const rows: Row[] = await em.query(
      'select * from audit_records where chain_id = $1 and chain_sequence > $2 and chain_sequence <= $3 order by chain_sequence limit $4',
      [chain, after, through, limit],
    );
    return rows.map(toRecord);
  }

  /** The stored hash of the record at `chainSequence` of `chain` (what an anchor is compared with), or null when there is none. */
  async hashAt(em: EntityManager, chain: string, chainSequence: number): Promise<string | null> {
    const rows: { hash: string }[] = await em.query('select hash from audit_records where chain_id = $1 and chain_sequence = $2', [chain, chainSequence]);
    return rows[0]?.hash ?? null;
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

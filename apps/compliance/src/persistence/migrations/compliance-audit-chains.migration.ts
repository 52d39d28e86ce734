import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * The audit trail as many hash chains instead of one. With a single head row (`audit_chain_head`)
 * locked by every append until commit, every transaction that audited anything (each consumed
 * batch, each REST action) took its turn on that row. Now:
 * - `audit_chains` holds a head per chain; an append locks only the head of its chain (a consumed
 *   partition's, or one of the `api:<n>` chains of the REST actions);
 * - every record names its chain and its position in it (`chain_id`, `chain_sequence`); the records
 *   so far, and the old head, become chain `main`, unchanged (their hashes, which cover `sequence`,
 *   verify as before);
 * - the global `sequence` (listing and export order, and part of each new record's hash) is drawn
 *   from a Postgres sequence, which takes no row lock, instead of from the head.
 */
export class ComplianceAuditChains1796600000000 implements MigrationInterface {
  name = 'ComplianceAuditChains1796600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table audit_chains (
        chain_id       text primary key,
        last_sequence  bigint not null,
        last_hash      text not null
      )`);
    await q.query(`insert into audit_chains (chain_id, last_sequence, last_hash) select 'main', last_sequence, last_hash from audit_chain_head`);
    await grantRuntime(q, 'audit_chains', 'read-write');

    await q.query('alter table audit_records add column chain_id text, add column chain_sequence bigint');
    await q.query(`update audit_records set chain_id = 'main', chain_sequence = sequence`);
    await q.query('alter table audit_records alter column chain_id set not null, alter column chain_sequence set not null');
    await q.query('alter table audit_records add constraint audit_records_chain_position unique (chain_id, chain_sequence)');

    // The global order; the migration runner lets the runtime role draw from it (as from every sequence of the schema).
    await q.query('create sequence audit_records_sequence as bigint owned by audit_records.sequence');
    await q.query(`select setval('audit_records_sequence', coalesce((select max(sequence) from audit_records), 0) + 1, false)`);

    await q.query('drop table audit_chain_head');
  }

  /** Back to one chain: possible only while `main` is the only chain (nothing was audited since). */
  async down(q: QueryRunner): Promise<void> {
    const others: unknown[] = await q.query(`select 1 from audit_chains where chain_id <> 'main' limit 1`);
    if (others.length > 0) throw new Error('the audit trail has chains other than main: one head row cannot hold them');
    await q.query(`
      create table audit_chain_head (
        only_row       boolean primary key default true check (only_row),
        last_sequence  bigint not null,
        last_hash      text not null
      )`);
    await q.query(`insert into audit_chain_head (last_sequence, last_hash) select last_sequence, last_hash from audit_chains where chain_id = 'main'`);
    await grantRuntime(q, 'audit_chain_head', 'read-write');
    await q.query('drop sequence audit_records_sequence');
    await q.query('alter table audit_records drop constraint audit_records_chain_position, drop column chain_id, drop column chain_sequence');
    await q.query('drop table audit_chains');
  }
}

import type { QueryRunner } from 'typeorm';
import { grantRuntime } from '../runtime-grants';

/**
 * Creates the audit trail's tables in the schema being migrated, for a service that starts with
 * the trail: the shape compliance's trail has after both of its migrations (ComplianceTables, then
 * ComplianceAuditChains), so that `AuditTrailRepository` and `AuditQueries` work on either alike.
 * Call it from the service's own migration (which runs as the schema's owner):
 * - `audit_records`: each record, its place in the trail's global order (`sequence`) and in its
 *   chain (`chain_id`, `chain_sequence`, unique together), and its hashes; append-only for the
 *   runtime role (select and insert), so a record can never be changed or removed at run time;
 * - `audit_chains`: one head per chain, locked and moved by each append (read-write);
 * - `audit_records_sequence`: the global order, drawn without a row lock. The migration runner
 *   (`migrateService`) lets the runtime role use every sequence of the schema, as it does for
 *   compliance's, so no grant of its own is needed here.
 */
export async function createAuditTrailTables(q: QueryRunner): Promise<void> {
  // Columns in compliance's order (chain_id and chain_sequence were added last there), so that the
  // two shapes are the same table, column for column.
  await q.query(`
    create table audit_records (
      sequence        bigint primary key,
      record_id       uuid not null unique,
      recorded_at     timestamptz not null,
      actor           text not null,
      action          text not null,
      entity_type     text not null,
      entity_id       text not null,
      before          jsonb,
      after           jsonb,
      previous_hash   text not null,
      hash            text not null,
      chain_id        text not null,
      chain_sequence  bigint not null,
      constraint audit_records_chain_position unique (chain_id, chain_sequence)
    )`);
  await q.query('create index audit_records_entity on audit_records (entity_id, sequence)');
  await q.query('create index audit_records_recorded_at on audit_records (recorded_at, sequence)');
  await grantRuntime(q, 'audit_records', 'append-only');

  await q.query(`
    create table audit_chains (
      chain_id       text primary key,
      last_sequence  bigint not null,
      last_hash      text not null
    )`);
  await grantRuntime(q, 'audit_chains', 'read-write');

  await q.query('create sequence audit_records_sequence as bigint owned by audit_records.sequence');
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * Issue 18, sanctions: the false-positive ("good guy") decisions — counterparty X is not entry Y of
 * list version V, proposed by one person and approved by a supervisor, with fingerprints of the
 * counterparty's names and of the entry as they were — and list loads held for a supervisor's
 * approval because they would remove too many of the current entries (kept with their entries
 * until decided).
 */
export class ComplianceSanctionsReviews1799100000000 implements MigrationInterface {
  name = 'ComplianceSanctionsReviews1799100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table sanctions_false_positives (
        false_positive_id         uuid primary key,
        counterparty_lei          text not null,
        source                    text not null,
        entry_id                  text not null,
        list_version              text not null,
        counterparty_fingerprint  text not null,
        entry_fingerprint         text not null,
        reason                    text not null,
        proposed_by               text not null,
        proposed_at               timestamptz(3) not null,
        status                    text not null check (status in ('PENDING', 'APPROVED', 'DECLINED')),
        decided_by                text,
        decided_at                timestamptz(3)
      )`);
    await q.query('create index sanctions_false_positives_counterparty on sanctions_false_positives (counterparty_lei, status)');
    await q.query('create index sanctions_false_positives_listed on sanctions_false_positives (proposed_at, false_positive_id)');
    await grantRuntime(q, 'sanctions_false_positives', 'read-write');
    await q.query(`
      create table sanctions_list_loads (
        load_id            uuid primary key,
        source             text not null,
        version            text not null,
        entries            jsonb not null,
        entry_count        integer not null,
        current_version    text not null,
        current_count      integer not null,
        removed_count      integer not null,
        proposed_by        text not null,
        proposed_at        timestamptz(3) not null,
        status             text not null check (status in ('PENDING', 'APPROVED', 'DECLINED')),
        decided_by         text,
        decided_at         timestamptz(3)
      )`);
    await q.query('create index sanctions_list_loads_listed on sanctions_list_loads (proposed_at, load_id)');
    await grantRuntime(q, 'sanctions_list_loads', 'read-write');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table sanctions_list_loads');
    await q.query('drop table sanctions_false_positives');
  }
}

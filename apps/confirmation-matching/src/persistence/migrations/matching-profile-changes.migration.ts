import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createAuditTrailTables, grantRuntime } from '@postrade/persistence';

/**
 * Maker-checker for matching profiles (issue 18): a change is proposed into
 * `matching_profile_changes`, approved by someone else (or declined), applied at once or from its
 * `effective_from`, and every step is written to the shared hash-chained audit trail
 * (`audit_records`, `audit_chains`), with the profile before and after.
 */
export class MatchingProfileChanges1733000000008 implements MigrationInterface {
  name = 'MatchingProfileChanges1733000000008';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table matching_profile_changes (
        change_id         uuid primary key,
        profile           text not null,
        proposed          jsonb not null,
        base_revision     integer,
        effective_from    timestamptz,
        reason            text,
        status            text not null check (status in ('PENDING', 'SCHEDULED', 'APPLIED', 'DECLINED')),
        requested_by      text not null,
        requested_at      timestamptz not null,
        decided_by        text,
        decided_at        timestamptz,
        applied_at        timestamptz,
        applied_revision  integer,
        reevaluated_at    timestamptz
      )`);
    // One open change a profile: a second proposal waits until the first is decided or applied.
    await q.query(`create unique index matching_profile_changes_one_open on matching_profile_changes (profile) where status in ('PENDING', 'SCHEDULED')`);
    await q.query('create index matching_profile_changes_by_status on matching_profile_changes (status, requested_at, change_id)');
    await q.query(`create index matching_profile_changes_due on matching_profile_changes (effective_from) where status = 'SCHEDULED'`);
    await q.query(`create index matching_profile_changes_not_reevaluated on matching_profile_changes (applied_at) where status = 'APPLIED' and reevaluated_at is null`);
    await grantRuntime(q, 'matching_profile_changes', 'read-write');
    await createAuditTrailTables(q);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table audit_chains');
    await q.query('drop table audit_records');
    await q.query('drop table matching_profile_changes');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * Issue 18, controls that need two people: changes to the restricted/watch list, exposure limits
 * and large-trader thresholds are proposed (`control_changes`) and applied only when a supervisor
 * other than the proposer approves them; exposure limits and thresholds are effective-dated (the
 * row in force is the latest `effective_from` on or before the day). A release request records the
 * alerts it was made against (an approval never resolves one its approver has not seen) and can be
 * WITHDRAWN by a new alert; a decision records the sanctions list versions it was screened
 * against; alerts that hold nothing are worked (assigned, commented, escalated, closed).
 */
export class ComplianceControls1799300000000 implements MigrationInterface {
  name = 'ComplianceControls1799300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      create table control_changes (
        change_id       uuid primary key,
        kind            text not null check (kind in ('RESTRICTION', 'RESTRICTION_REMOVAL', 'EXPOSURE_LIMIT', 'LARGE_TRADER_THRESHOLDS')),
        target          text not null,
        proposed        jsonb,
        before          jsonb,
        effective_from  date not null,
        reason          text not null,
        proposed_by     text not null,
        proposed_at     timestamptz(3) not null,
        status          text not null check (status in ('PENDING', 'APPROVED', 'DECLINED')),
        decided_by      text,
        decided_at      timestamptz(3)
      )`);
    // One pending change per thing changed: a second proposal waits for the first to be decided (409).
    await q.query(`create unique index control_changes_one_pending on control_changes (target) where status = 'PENDING'`);
    await q.query('create index control_changes_listed on control_changes (proposed_at, change_id)');
    await grantRuntime(q, 'control_changes', 'read-write');

    await q.query(`alter table exposure_limits add column effective_from date not null default date '1970-01-01'`);
    await q.query('alter table exposure_limits drop constraint exposure_limits_pkey');
    await q.query('alter table exposure_limits add primary key (counterparty_lei, currency, effective_from)');

    await q.query(`
      create table large_trader_thresholds (
        effective_from  date primary key,
        shares          numeric not null check (shares > 0),
        usd_notional    numeric not null check (usd_notional > 0),
        updated_at      timestamptz not null default now()
      )`);
    await grantRuntime(q, 'large_trader_thresholds', 'read-write');

    await q.query('alter table release_requests add column alert_ids uuid[]');
    await q.query('alter table decisions add column screened_against jsonb');

    await q.query('alter table alerts add column assignee text, add column escalated_by text, add column escalated_at timestamptz, add column closed_by text');
    await q.query(`
      create table alert_comments (
        comment_id  uuid primary key,
        alert_id    uuid not null references alerts (alert_id),
        author      text not null,
        text        text not null,
        created_at  timestamptz(3) not null
      )`);
    await q.query('create index alert_comments_alert on alert_comments (alert_id, created_at)');
    await grantRuntime(q, 'alert_comments', 'read-write');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table alert_comments');
    await q.query('alter table alerts drop column assignee, drop column escalated_by, drop column escalated_at, drop column closed_by');
    await q.query('alter table decisions drop column screened_against');
    await q.query('alter table release_requests drop column alert_ids');
    await q.query('drop table large_trader_thresholds');
    await q.query('delete from exposure_limits l where effective_from <> (select max(effective_from) from exposure_limits m where m.counterparty_lei = l.counterparty_lei and m.currency = l.currency)');
    await q.query('alter table exposure_limits drop constraint exposure_limits_pkey');
    await q.query('alter table exposure_limits add primary key (counterparty_lei, currency)');
    await q.query('alter table exposure_limits drop column effective_from');
    await q.query('drop table control_changes');
  }
}

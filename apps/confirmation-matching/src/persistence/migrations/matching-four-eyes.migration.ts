import type { MigrationInterface, QueryRunner } from 'typeorm';
import { grantRuntime } from '@postrade/persistence';

/**
 * Maker-checker for force-match and manual affirm: a profile says whether its pairs need two
 * people (on by default), a proposal waits in `match_requests` until someone other than its
 * proposer approves or declines it, and the action trail records who approved.
 */
export class MatchingFourEyes1733000000006 implements MigrationInterface {
  name = 'MatchingFourEyes1733000000006';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table matching_profiles add column four_eyes boolean not null default true');
    await q.query('alter table match_actions add column approved_by text');
    await q.query(`
      create table match_requests (
        request_id            uuid primary key,
        trade_id              uuid not null,
        action                text not null check (action in ('FORCE_MATCH', 'AFFIRM')),
        confirmation_id       text,
        trade_version         integer not null,
        confirmation_version  integer,
        reason                text,
        requested_by          text not null,
        status                text not null check (status in ('PENDING', 'APPROVED', 'DECLINED')),
        created_at            timestamptz not null,
        decided_by            text,
        decided_at            timestamptz
      )`);
    await q.query('create index match_requests_by_trade on match_requests (trade_id, created_at)');
    await q.query(`create unique index match_requests_one_pending on match_requests (trade_id) where status = 'PENDING'`);
    await grantRuntime(q, 'match_requests', 'read-write');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop table match_requests');
    await q.query('alter table match_actions drop column approved_by');
    await q.query('alter table matching_profiles drop column four_eyes');
  }
}

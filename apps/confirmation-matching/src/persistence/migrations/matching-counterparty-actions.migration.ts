import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A counterparty's own actions: cancelling its confirmation (who, when, why, on the confirmation's
 * current version) and DK ("don't know") of a trade alleged against it, kept in the action trail.
 */
export class MatchingCounterpartyActions1733000000005 implements MigrationInterface {
  name = 'MatchingCounterpartyActions1733000000005';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table confirmations add column cancelled_at timestamptz, add column cancelled_by text, add column cancel_reason text');
    await q.query('alter table match_actions drop constraint match_actions_action_check');
    await q.query(`alter table match_actions add constraint match_actions_action_check check (action in ('FORCE_MATCH', 'UNMATCH', 'AFFIRM', 'DK'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table match_actions drop constraint match_actions_action_check');
    await q.query(`alter table match_actions add constraint match_actions_action_check check (action in ('FORCE_MATCH', 'UNMATCH', 'AFFIRM'))`);
    await q.query('alter table confirmations drop column cancelled_at, drop column cancelled_by, drop column cancel_reason');
  }
}

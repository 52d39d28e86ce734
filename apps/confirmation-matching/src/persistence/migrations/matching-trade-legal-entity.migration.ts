import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Our legal entity on each trade, so that a confirmation addressed to another party breaks
 * (`receiverLei`, FIX 774 code 14). Trades stored before this have none until their next version.
 */
export class MatchingTradeLegalEntity1733000000003 implements MigrationInterface {
  name = 'MatchingTradeLegalEntity1733000000003';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table trades add column legal_entity_lei text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table trades drop column legal_entity_lei');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17: every custodian update records who sent it: the principal id of the API key (REST,
 * ISO 20022), or `kafka:<event source>` for `settlement.status.inbound.v1`. Updates recorded before
 * this migration have none.
 */
export class SettlementUpdateSenders1798420000000 implements MigrationInterface {
  name = 'SettlementUpdateSenders1798420000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('alter table status_updates add column sent_by text');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('alter table status_updates drop column sent_by');
  }
}

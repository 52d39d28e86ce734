import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 17, the custodian message cycle: how the custodian has each instruction (sent, answered,
 * the party hold asked for or confirmed there, our cancellation request and its answer, the
 * instructions a replacement waits to see cancelled, the exceptions raised for operations), as one
 * jsonb document (`CustodianState`). An instruction made before this migration counts as sent
 * when it left PENDING; whether the custodian answered on it is read from its status updates.
 */
export class SettlementCustodianCycle1798500000000 implements MigrationInterface {
  name = 'SettlementCustodianCycle1798500000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`alter table instructions add column custodian jsonb not null default '{}'::jsonb`);
    await q.query(`
      update instructions i set custodian = jsonb_build_object(
        'sent', i.processing_status <> 'PENDING',
        'acknowledged', exists (select 1 from status_updates u where u.instruction_id = i.instruction_id))`);
    // The replacements waiting for an instruction's cancellation, found when it is confirmed.
    await q.query(`create index instructions_awaiting_cancellation on instructions using gin ((custodian -> 'awaitingCancellationOf'))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('drop index instructions_awaiting_cancellation');
    await q.query('alter table instructions drop column custodian');
  }
}

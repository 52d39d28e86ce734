import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createParkedInputsTable } from '@postrade/messaging';

/**
 * Custodian status updates waiting for their instruction move to the shared parking lot
 * (`parked_inputs`, kind STATUS_UPDATE, keyed by instruction and update id, waiting for the
 * instruction), and `parked_status_updates` goes. Updates there were flagged `expired` and later
 * deleted silently; now an update whose instruction never appears goes to the dead letters with
 * the reason. An update already flagged expired keeps its expiry (passed), so the first sweep
 * dead-letters it. Their messages were not kept: each becomes a dead letter of its own (the
 * update as its value, `ce_id` the event id).
 */
export class SettlementParkedInputs1798200000000 implements MigrationInterface {
  name = 'SettlementParkedInputs1798200000000';

  async up(q: QueryRunner): Promise<void> {
    await createParkedInputsTable(q);
    await q.query(`
      insert into parked_inputs (kind, input_key, waiting_for, reason, consumer, topic, event_id, payload, parked_at, expires_at)
      select 'STATUS_UPDATE', lower(instruction_id::text) || ' ' || update_id, array[lower(instruction_id::text)],
             'waiting for instruction ' || lower(instruction_id::text), 'settlement.status', 'settlement.status.inbound.v1', event_id::text,
             jsonb_build_object('instructionId', lower(instruction_id::text), 'update', jsonb_strip_nulls(jsonb_build_object(
               'updateId', update_id, 'status', status, 'settledQuantity', settled_quantity::text, 'settledAmount', settled_amount::text,
               'effectiveDate', to_char(effective_date, 'YYYY-MM-DD'), 'failingParty', failing_party, 'reasonCode', reason_code))),
             parked_at, expires_at
        from parked_status_updates
       order by parked_at, instruction_id, update_id`);
    await q.query('drop table parked_status_updates');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create table parked_status_updates (
        instruction_id uuid not null, update_id text not null, status text not null, settled_quantity numeric, settled_amount numeric,
        effective_date date, failing_party text, reason_code text, event_id uuid, parked_at timestamptz not null default now(),
        expires_at timestamptz not null, expired boolean not null default false, primary key (instruction_id, update_id))`);
    await q.query('create index parked_status_updates_expiry on parked_status_updates (expires_at)');
    await q.query(`
      insert into parked_status_updates (instruction_id, update_id, status, settled_quantity, settled_amount, effective_date, failing_party, reason_code,
                                         event_id, parked_at, expires_at, expired)
      select (payload->>'instructionId')::uuid, payload->'update'->>'updateId', payload->'update'->>'status', (payload->'update'->>'settledQuantity')::numeric,
             (payload->'update'->>'settledAmount')::numeric, (payload->'update'->>'effectiveDate')::date, payload->'update'->>'failingParty',
             payload->'update'->>'reasonCode', event_id::uuid, parked_at, expires_at, expires_at <= now()
        from parked_inputs where kind = 'STATUS_UPDATE'`);
    await q.query('drop table parked_inputs');
  }
}

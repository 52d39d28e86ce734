import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createParkedInputsTable } from '@postrade/messaging';

/**
 * Settlements waiting for their trades move to the shared parking lot (`parked_inputs`, kind
 * SETTLEMENT, keyed by event id, waiting for their trade ids), with their messages, parking times
 * and expiries; `parked_settlements` goes. One that was rejected when its trade arrived (and was
 * waiting for the sweep to dead-letter it) keeps its reason and its expiry, which has passed.
 */
export class LedgerParkedInputs1798200000000 implements MigrationInterface {
  name = 'LedgerParkedInputs1798200000000';

  async up(q: QueryRunner): Promise<void> {
    await createParkedInputsTable(q);
    await q.query(`
      insert into parked_inputs (kind, input_key, waiting_for, reason, consumer, topic, event_id, event_type, message, payload, parked_at, expires_at)
      select 'SETTLEMENT', event_id::text, array(select lower(w::text) from unnest(waiting_for) as w),
             case when rejection is not null then 'rejected when its trade arrived: ' || rejection
                  else 'waiting for trade ' || array_to_string(waiting_for, ', ') end,
             'ledger', message->>'topic', event_id::text, event_type, message, jsonb_build_object('instructionId', instruction_id), parked_at, expires_at
        from parked_settlements`);
    await q.query('drop table parked_settlements');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create table parked_settlements (
        event_id uuid primary key, event_type text not null, instruction_id text not null, waiting_for uuid[] not null, message jsonb not null,
        rejection text, parked_at timestamptz not null, expires_at timestamptz not null)`);
    await q.query(`
      insert into parked_settlements (event_id, event_type, instruction_id, waiting_for, message, rejection, parked_at, expires_at)
      select event_id::uuid, event_type, payload->>'instructionId', waiting_for::uuid[], message,
             case when reason like 'rejected when its trade arrived: %' then substr(reason, 35) end, parked_at, expires_at
        from parked_inputs where kind = 'SETTLEMENT' and message is not null`);
    await q.query('drop table parked_inputs');
  }
}

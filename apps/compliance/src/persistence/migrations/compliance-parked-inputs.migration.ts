import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createParkedInputsTable } from '@postrade/messaging';

/**
 * Settlements waiting for their trades move to the shared parking lot (`parked_inputs`, kind
 * SETTLEMENT, keyed by event id, waiting for the trades not screened yet), and
 * `parked_settlements` goes. They were deleted silently by retention after 400 days; now one whose
 * trade never comes goes to the dead letters with the reason. Moved rows expire 72 hours (the
 * default COMPLIANCE_PARKED_EXPIRY) after they were parked; their messages were not kept, so each
 * becomes a dead letter of its own (its payload, `ce_id` the event id).
 */
export class ComplianceParkedInputs1798200000000 implements MigrationInterface {
  name = 'ComplianceParkedInputs1798200000000';

  async up(q: QueryRunner): Promise<void> {
    await createParkedInputsTable(q);
    await q.query(`
      insert into parked_inputs (kind, input_key, waiting_for, reason, consumer, topic, event_id, payload, parked_at, expires_at)
      select 'SETTLEMENT', p.event_id::text, w.ids, 'waiting for trade ' || array_to_string(w.ids, ', '), 'compliance.settlement', 'settlement.events.v1', p.event_id::text,
             jsonb_build_object('tradeIds', to_jsonb(array(select lower(t::text) from unnest(p.trade_ids) as t)), 'settledAmount', p.settled_amount::text, 'settledInFull', p.settled_in_full),
             p.parked_at, p.parked_at + interval '72 hours'
        from parked_settlements p
        cross join lateral (
          select coalesce(nullif(array(select lower(t::text) from unnest(p.trade_ids) as t where not exists (select 1 from screened_trades s where s.trade_id = t)), '{}'),
                          array(select lower(t::text) from unnest(p.trade_ids) as t)) as ids) w`);
    await q.query('drop table parked_settlements');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create table parked_settlements (
        event_id uuid primary key, trade_ids uuid[] not null, settled_amount numeric not null, settled_in_full boolean not null,
        parked_at timestamptz(3) not null default now())`);
    await q.query('create index parked_settlements_trades on parked_settlements using gin (trade_ids)');
    await q.query(`
      insert into parked_settlements (event_id, trade_ids, settled_amount, settled_in_full, parked_at)
      select event_id::uuid, array(select jsonb_array_elements_text(payload->'tradeIds'))::uuid[], (payload->>'settledAmount')::numeric,
             (payload->>'settledInFull')::boolean, parked_at
        from parked_inputs where kind = 'SETTLEMENT'`);
    await q.query('drop table parked_inputs');
  }
}

import type { MigrationInterface, QueryRunner } from 'typeorm';
import { createParkedInputsTable } from '@postrade/messaging';

/**
 * AMEND/CANCEL actions waiting for their NEW move to the shared parking lot (`parked_inputs`, kind
 * the action, keyed `<system>/<trade id>/<version>`, waiting for `<system>/<trade id>`), with their
 * messages, content hashes, parking times and expiries; `parked_trade_actions` goes.
 */
export class TradeCaptureParkedInputs1798200000000 implements MigrationInterface {
  name = 'TradeCaptureParkedInputs1798200000000';

  async up(q: QueryRunner): Promise<void> {
    await createParkedInputsTable(q);
    await q.query(`
      insert into parked_inputs (kind, input_key, waiting_for, reason, consumer, topic, event_id, event_type, message, payload, parked_at, expires_at)
      select action, source_system || '/' || source_trade_id || '/' || version, array[source_system || '/' || source_trade_id],
             'waiting for the NEW of ' || source_system || '/' || source_trade_id, 'trade-capture', coalesce(message->>'topic', 'trades.inbound.v1'),
             event_id::text, message->'headers'->>'ce_type', message,
             jsonb_build_object('sourceSystem', source_system, 'sourceTradeId', source_trade_id, 'version', version, 'action', action,
                                'reported', payload, 'contentHash', content_hash),
             parked_at, expires_at
        from parked_trade_actions
       order by parked_at, source_system, source_trade_id, version`);
    await q.query('drop table parked_trade_actions');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`
      create table parked_trade_actions (
        source_system text not null, source_trade_id text not null, version integer not null, action text not null, payload jsonb not null,
        event_id uuid, parked_at timestamptz(3) not null default now(), content_hash text not null default '', message_key text, message jsonb,
        expires_at timestamptz not null, primary key (source_system, source_trade_id, version))`);
    await q.query('create index parked_trade_actions_expiry on parked_trade_actions (expires_at)');
    await q.query(`
      insert into parked_trade_actions (source_system, source_trade_id, version, action, payload, event_id, parked_at, content_hash, message_key, message, expires_at)
      select payload->>'sourceSystem', payload->>'sourceTradeId', (payload->>'version')::int, payload->>'action', payload->'reported', event_id::uuid,
             parked_at, payload->>'contentHash', message->>'key', message, expires_at
        from parked_inputs where kind in ('AMEND', 'CANCEL')`);
    await q.query('drop table parked_inputs');
  }
}

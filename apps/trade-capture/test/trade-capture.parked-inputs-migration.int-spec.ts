import { randomUUID } from 'node:crypto';
import { Outbox, ParkingLot, type RawMessage } from '@postrade/messaging';
import { TransactionRunner } from '@postrade/persistence';
import { useScratchSchema } from '@postrade/testing';
import { tradeCaptureDatabase } from '../src/persistence/trade-capture.database';
import { tradeCaptureMigrations } from '../src/persistence/migrations';
import { TradeCaptureParkedInputs1798200000000 } from '../src/persistence/migrations/trade-capture-parked-inputs.migration';

describe("trade-capture's parked actions moving to the shared parking lot (real Postgres)", () => {
  const before = tradeCaptureMigrations.slice(0, tradeCaptureMigrations.indexOf(TradeCaptureParkedInputs1798200000000));
  const scratch = useScratchSchema(tradeCaptureDatabase, 'trade_capture_parking', before);
  const { schema, database: legacy } = scratch;

  it('moves each waiting AMEND/CANCEL with its payload, hash, message and expiry, and drops parked_trade_actions', async () => {
    await scratch.migrate();
    const [tradeId, eventId] = [`T-${randomUUID()}`, randomUUID()];
    const message: RawMessage = { topic: 'trades.inbound.v1', partition: 2, offset: '41', key: tradeId, headers: { ce_id: eventId, ce_type: 'postrade.trade.reported.v1' }, value: '{"action":"AMEND"}' };
    await scratch.admin.query(
      `insert into ${schema}.parked_trade_actions (source_system, source_trade_id, version, action, payload, event_id, parked_at, content_hash, message_key, message, expires_at) values
         ('OMS1', $1, 3, 'CANCEL', '{"reason":"oops"}', null, '2026-11-20T10:00:01Z', 'h3', null, null, '2026-11-20T10:10:01Z'),
         ('OMS1', $1, 2, 'AMEND', '{"action":"AMEND","quantity":"1500"}', $2, '2026-11-20T10:00:00Z', 'h2', $1, $3, '2026-11-20T10:10:00Z')`,
      [tradeId, eventId, JSON.stringify(message)],
    );

    const applied = await scratch.migrate(tradeCaptureMigrations);
    expect(applied).toContain('TradeCaptureParkedInputs1798200000000');
    expect((await scratch.admin.query(`select 1 from information_schema.tables where table_schema = $1 and table_name = 'parked_trade_actions'`, [schema])).rows).toEqual([]);

    const db = await scratch.connect();
    const lot = new ParkingLot({ consumer: 'trade-capture', dlqTopic: 'trade-capture.dlq.v1', outbox: new Outbox(legacy.service, schema) });
    const taken = await new TransactionRunner(db).run((em) => lot.takeFor(em, [`OMS1/${tradeId}`], ['AMEND', 'CANCEL']));
    expect(taken).toEqual([
      expect.objectContaining({
        kind: 'AMEND', inputKey: `OMS1/${tradeId}/2`, reason: `waiting for the NEW of OMS1/${tradeId}`, consumer: 'trade-capture', eventId, eventType: 'postrade.trade.reported.v1', message,
        payload: { sourceSystem: 'OMS1', sourceTradeId: tradeId, version: 2, action: 'AMEND', reported: { action: 'AMEND', quantity: '1500' }, contentHash: 'h2' },
        parkedAt: '2026-11-20T10:00:00.000Z', expiresAt: '2026-11-20T10:10:00.000Z',
      }),
      expect.objectContaining({
        kind: 'CANCEL', inputKey: `OMS1/${tradeId}/3`, eventId: null, message: null, topic: 'trades.inbound.v1',
        payload: { sourceSystem: 'OMS1', sourceTradeId: tradeId, version: 3, action: 'CANCEL', reported: { reason: 'oops' }, contentHash: 'h3' },
      }),
    ]);
  });
});
